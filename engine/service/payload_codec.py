"""What Boomerang stores in Temporal, compressed: every journey's input carries its whole
automation definition, and Temporal keeps it in the history of each journey for as long as
the journey lives (and its retention after).

Payloads below a size gain nothing and stay as they are; payloads written before the codec
(or by a client without it) decode unchanged, so journeys started earlier keep running.
"""

import dataclasses
import zlib
from collections.abc import Sequence

from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, PayloadCodec

ENCODING = b"binary/zlib"
# Smaller payloads (ids, short results) do not shrink enough to pay for the codec's work.
SMALLEST_COMPRESSED = 256
LEVEL = 6  # zlib's default: ~4× smaller definitions; a few microseconds per kilobyte


class CompressingCodec(PayloadCodec):
    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [_compressed(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [decompressed(payload) for payload in payloads]


def _compressed(payload: Payload) -> Payload:
    if payload.ByteSize() < SMALLEST_COMPRESSED:
        return payload
    data = zlib.compress(payload.SerializeToString(), LEVEL)
    return Payload(metadata={"encoding": ENCODING}, data=data)


def decompressed(payload: Payload) -> Payload:
    """The payload as the converter wrote it (unchanged if it was never compressed)."""
    if payload.metadata.get("encoding") != ENCODING:
        return payload
    return Payload.FromString(zlib.decompress(payload.data))


# The one data converter of every client and worker (STYLE.md): pydantic, compressed.
DATA_CONVERTER: DataConverter = dataclasses.replace(
    pydantic_data_converter, payload_codec=CompressingCodec()
)
