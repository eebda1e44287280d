"""Fast but wrong: writes the name length in characters, not UTF-8 bytes, so non-ASCII names corrupt the frame."""

import struct


def encode_frame(readings):
    parts = [struct.pack(">I", len(readings))]
    for sensor_id, value, name in readings:
        encoded = name.encode("utf-8")
        if len(encoded) > 255:
            raise ValueError(f"sensor name too long: {name[:20]}...")
        parts.append(struct.pack(">HdB", sensor_id, value, min(len(name), 255)))
        parts.append(encoded)
    return b"".join(parts)
