"""Reference: collects the parts in a list and joins once (bytes += copies the whole frame each time: O(n^2))."""

import struct


def encode_frame(readings):
    parts = [struct.pack(">I", len(readings))]
    for sensor_id, value, name in readings:
        encoded = name.encode("utf-8")
        if len(encoded) > 255:
            raise ValueError(f"sensor name too long: {name[:20]}...")
        parts.append(struct.pack(">HdB", sensor_id, value, len(encoded)))
        parts.append(encoded)
    return b"".join(parts)
