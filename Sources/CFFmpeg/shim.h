// The one C header Swift sees: FFmpeg's public headers plus inline wrappers for the macros
// that Swift cannot import (function-like or compound-literal macros).
#ifndef VERITAS_CFFMPEG_SHIM_H
#define VERITAS_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/aes.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

static inline int veritas_averror(int posix_error) { return AVERROR(posix_error); }
static inline int veritas_averror_eof(void) { return AVERROR_EOF; }
static inline int veritas_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int veritas_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int64_t veritas_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational veritas_time_base_q(void) { return AV_TIME_BASE_Q; }

/// Fills `buffer` with FFmpeg's message for `error` (av_err2str is a compound-literal macro).
static inline void veritas_error_string(int error, char *buffer, size_t size) {
    av_strerror(error, buffer, size);
}

/// The stereo layout, as `AV_CHANNEL_LAYOUT_STEREO` is a compound literal.
static inline AVChannelLayout veritas_stereo_layout(void) {
    AVChannelLayout layout = AV_CHANNEL_LAYOUT_STEREO;
    return layout;
}

/// The mono layout.
static inline AVChannelLayout veritas_mono_layout(void) {
    AVChannelLayout layout = AV_CHANNEL_LAYOUT_MONO;
    return layout;
}

#endif
