// libFuzzer's entry for a program with a main of its own (compiler-rt's FuzzerInterface.h).
// Only referenced in a build with -sanitize=fuzzer, which links the runtime that defines it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
