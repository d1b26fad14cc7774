"""Read a GIF's structure (not its pixels): colour tables, frames, delays and loop count."""
from dataclasses import dataclass, field


@dataclass
class GifInfo:
    width: int
    height: int
    global_table: int  # entries in the global colour table, 0 if none
    local_tables: int = 0  # frames that carry a colour table of their own
    delays_ms: list = field(default_factory=list)
    loop: int | None = None
    frames: int = 0
    rects: list = field(default_factory=list)  # (left, top, width, height) of each frame


def read_gif(data: bytes) -> GifInfo:
    assert data[:6] in (b"GIF87a", b"GIF89a"), "not a GIF"
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    flags = data[10]
    table = 3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0
    info = GifInfo(width, height, table // 3)
    pos = 13 + table
    while True:
        block = data[pos]
        if block == 0x3B:
            return info
        if block == 0x21:
            label = data[pos + 1]
            pos += 2
            first = True
            while data[pos]:
                size = data[pos]
                body = data[pos + 1: pos + 1 + size]
                if label == 0xF9 and first:
                    info.delays_ms.append(10 * int.from_bytes(body[1:3], "little"))
                if label == 0xFF and not first and body[:1] == b"\x01":
                    info.loop = int.from_bytes(body[1:3], "little")
                first = False
                pos += 1 + size
            pos += 1
        elif block == 0x2C:
            info.frames += 1
            info.rects.append(tuple(int.from_bytes(data[pos + i: pos + i + 2], "little") for i in (1, 3, 5, 7)))
            flags = data[pos + 9]
            pos += 10
            if flags & 0x80:
                info.local_tables += 1
                pos += 3 * 2 ** ((flags & 7) + 1)
            pos += 1  # LZW minimum code size
            while data[pos]:
                pos += 1 + data[pos]
            pos += 1
        else:
            raise AssertionError(f"unexpected GIF block 0x{block:02x} at byte {pos}")
