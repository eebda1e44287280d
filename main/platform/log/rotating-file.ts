// A log file that rolls over by size (evolve.log → evolve.log.1 → …), owner-only (0600), written synchronously so a
// crash loses no line that was logged before it.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface RotatingFileOptions {
  file: string;
  /** Roll over once the current file would pass this size. */
  maxBytes?: number;
  /** Rolled-over files kept besides the current one. */
  keep?: number;
}

export class RotatingFile {
  private fd: number | null = null;
  private size = 0;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(private readonly o: RotatingFileOptions) {
    this.maxBytes = o.maxBytes ?? 5 * 1024 * 1024;
    this.keep = o.keep ?? 3;
  }

  get file(): string {
    return this.o.file;
  }

  /** pino's destination interface: one serialised line per call. */
  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.fd === null) this.open();
    if (this.size > 0 && this.size + bytes > this.maxBytes) {
      this.rotate();
      this.open();
    }
    writeSync(this.fd as number, line);
    this.size += bytes;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** The current file and the rolled-over ones, oldest first. */
  files(): string[] {
    const out: string[] = [];
    for (let i = this.keep; i >= 1; i--) if (existsSync(`${this.o.file}.${i}`)) out.push(`${this.o.file}.${i}`);
    if (existsSync(this.o.file)) out.push(this.o.file);
    return out;
  }

  private open(): void {
    mkdirSync(path.dirname(this.o.file), { recursive: true, mode: 0o700 });
    this.fd = openSync(this.o.file, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    rmSync(`${this.o.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--)
      if (existsSync(`${this.o.file}.${i}`)) renameSync(`${this.o.file}.${i}`, `${this.o.file}.${i + 1}`);
    renameSync(this.o.file, `${this.o.file}.1`);
  }
}
