"""Uploads a file to Veritas with tuspy, the tus project's Python client, resuming where a
previous run stopped (the client's own URL storage remembers the upload).

usage: tus_upload.py ENDPOINT TOKEN FILE STORAGE --show SLUG --title T [--publish]
                     [--chunk BYTES] [--stop-after-chunks N]
Prints one JSON object: the upload URL, the offset the client resumed from, the final offset.
"""
import argparse
import json
import sys

from tusclient import client
from tusclient.storage.filestorage import FileStorage

parser = argparse.ArgumentParser()
parser.add_argument("endpoint")
parser.add_argument("token")
parser.add_argument("file")
parser.add_argument("storage")
parser.add_argument("--show", required=True)
parser.add_argument("--title", required=True)
parser.add_argument("--publish", action="store_true")
parser.add_argument("--chunk", type=int, default=256 * 1024)
parser.add_argument("--stop-after-chunks", type=int)
args = parser.parse_args()

tus = client.TusClient(args.endpoint, headers={"Authorization": "Bearer " + args.token})
metadata = {"filename": args.file.rsplit("/", 1)[-1], "show": args.show, "title": args.title}
if args.publish:
    metadata["publish"] = "true"
uploader = tus.uploader(
    args.file, chunk_size=args.chunk, metadata=metadata, store_url=True, url_storage=FileStorage(args.storage),
    retries=0)
resumed_from = uploader.offset
if args.stop_after_chunks is not None:
    for _ in range(args.stop_after_chunks):
        uploader.upload_chunk()
else:
    uploader.upload()
json.dump({"url": uploader.url, "resumed_from": resumed_from, "offset": uploader.offset}, sys.stdout)
