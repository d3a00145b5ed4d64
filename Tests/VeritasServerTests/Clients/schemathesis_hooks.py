"""Schemathesis hooks for Veritas's media types (loaded through SCHEMATHESIS_HOOKS).

tus bodies (`application/offset+octet-stream`) are raw bytes, sent as schemathesis sends
`application/octet-stream`; podcast chapters (`application/json+chapters`) are JSON, read so
their schema is checked too.
"""
import json

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")


@schemathesis.deserializer("application/json+chapters")
def chapters(ctx, response):
    return json.loads(response.content)
