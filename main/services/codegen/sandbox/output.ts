// Capped capture of one output stream: keeps the first maxBytes, counts the rest, says when the cap was passed.
import type { Readable } from 'node:stream';
import type { CapturedStream } from './types';

export class CappedCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onOverflow: () => void,
  ) {}

  attach(stream: Readable): void {
    stream.on('data', (chunk: Buffer) => this.push(chunk));
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.maxBytes - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    if (this.total > this.maxBytes) this.onOverflow();
  }

  result(): CapturedStream {
    // A multi-byte character cut by the cap decodes as U+FFFD rather than throwing.
    return {
      text: new TextDecoder('utf-8').decode(Buffer.concat(this.chunks)),
      bytes: this.total,
      truncated: this.total > this.maxBytes,
    };
  }
}
