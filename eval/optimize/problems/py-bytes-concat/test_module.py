import struct

import pytest

from module import encode_frame


def decode(frame):
    (count,) = struct.unpack_from(">I", frame, 0)
    pos, out = 4, []
    for _ in range(count):
        sensor_id, value, length = struct.unpack_from(">HdB", frame, pos)
        pos += 11
        out.append((sensor_id, value, frame[pos : pos + length].decode("utf-8")))
        pos += length
    assert pos == len(frame)
    return out


def test_empty_frame_is_just_the_count():
    assert encode_frame([]) == b"\x00\x00\x00\x00"


def test_round_trip():
    readings = [(1, 21.5, "temp"), (65535, -3.25, "co2"), (7, 0.0, "")]
    assert decode(encode_frame(readings)) == readings


def test_unicode_name_length_is_in_bytes():
    frame = encode_frame([(2, 1.0, "気圧")])
    assert frame[4 + 10] == 6
    assert decode(frame) == [(2, 1.0, "気圧")]


def test_name_too_long_raises():
    with pytest.raises(ValueError):
        encode_frame([(1, 1.0, "x" * 256)])


def test_sensor_id_out_of_range_raises():
    with pytest.raises(struct.error):
        encode_frame([(70000, 1.0, "t")])
