"""Serialises sensor readings into the length-prefixed binary frame a device's firmware expects."""

import struct


def encode_frame(readings):
    """Frame = 4-byte big-endian count, then per reading: 2-byte sensor id, 8-byte float, 1-byte name length,
    name (UTF-8).

    >>> encode_frame([(1, 0.5, "t")])[:4]
    b'\\x00\\x00\\x00\\x01'
    """
    frame = struct.pack(">I", len(readings))
    for sensor_id, value, name in readings:
        encoded = name.encode("utf-8")
        if len(encoded) > 255:
            raise ValueError(f"sensor name too long: {name[:20]}...")
        frame += struct.pack(">Hd", sensor_id, value)
        frame += bytes([len(encoded)])
        frame += encoded
    return frame
