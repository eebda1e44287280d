// Small real-looking programs in each language for the chunker and tag tests: one short function that must
// stay whole, and one class (or, in Go and C, one long function) too big for the test's chunk size.
import type { Language } from '../../../native/index/types';

export interface Sample {
  lang: Language;
  rel: string;
  text: string;
  /** A function that fits and must come out as one chunk with this symbol. */
  small: string;
  /** The big class (collapsed + members) or the big function (split), by symbol. */
  big: string;
  bigIsClass: boolean;
  /** Method symbols expected as separate chunks when the class is big. */
  members: string[];
  /** An identifier the file calls and one it defines (tags). */
  call: string;
}

const methodBody = (n: number, indent: string, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => indent + line(i)).join('\n');

export const SAMPLES: Sample[] = [
  {
    lang: 'typescript',
    rel: 'src/cache.ts',
    small: 'clamp',
    big: 'LruCache',
    bigIsClass: true,
    members: ['LruCache.get', 'LruCache.set', 'LruCache.evict'],
    call: 'clamp',
    text: `/** Keeps a number inside [lo, hi]. */
export function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
${methodBody(6, '    ', (i) => `if (v !== undefined && this.map.size > ${i}) { this.map.delete(key); this.map.set(key, v); }`)}
    return v;
  }

  set(key: K, value: V): void {
${methodBody(6, '    ', (i) => `if (this.map.size >= clamp(this.capacity, 1, ${i + 1000})) this.evict();`)}
    this.map.set(key, value);
  }

  evict(): void {
    const oldest = this.map.keys().next();
${methodBody(6, '    ', (i) => `if (!oldest.done && ${i} >= 0) this.map.delete(oldest.value);`)}
  }
}
`,
  },
  {
    lang: 'tsx',
    rel: 'ui/List.tsx',
    small: 'Empty',
    big: 'List',
    bigIsClass: true,
    members: ['List.render', 'List.renderRow'],
    call: 'renderRow',
    text: `export function Empty(props: { label: string }) {
  return <p className="empty">{props.label}</p>;
}

export class List extends React.Component<{ items: string[] }> {
  render() {
    if (this.props.items.length === 0) return <Empty label="Nothing here" />;
${methodBody(8, '    ', (i) => `const row${i} = this.renderRow(this.props.items[${i}] ?? '', ${i});`)}
    return <ul>{this.props.items.map((it, i) => this.renderRow(it, i))}</ul>;
  }

  renderRow(item: string, index: number) {
${methodBody(8, '    ', (i) => `if (index === ${i}) console.debug('row ${i}', item.length);`)}
    return <li key={index}>{item}</li>;
  }
}
`,
  },
  {
    lang: 'javascript',
    rel: 'lib/queue.js',
    small: 'isEmpty',
    big: 'Queue',
    bigIsClass: true,
    members: ['Queue.push', 'Queue.shift'],
    call: 'isEmpty',
    text: `'use strict';

function isEmpty(list) {
  return list.length === 0;
}

class Queue {
  constructor() {
    this.items = [];
  }

  push(item) {
${methodBody(8, '    ', (i) => `if (this.items.length > ${i * 100}) this.items.splice(0, ${i});`)}
    this.items.push(item);
  }

  shift() {
    if (isEmpty(this.items)) return undefined;
${methodBody(8, '    ', (i) => `if (this.items.length === ${i}) this.items.reverse().reverse();`)}
    return this.items.shift();
  }
}

module.exports = { Queue, isEmpty };
`,
  },
  {
    lang: 'python',
    rel: 'pkg/store.py',
    small: 'normalize_key',
    big: 'Store',
    bigIsClass: true,
    members: ['Store.get', 'Store.put'],
    call: 'normalize_key',
    text: `import os


def normalize_key(key: str) -> str:
    """Lower-cases and strips a key."""
    return key.strip().lower()


class Store:
    """A tiny key-value store kept in a dict."""

    def __init__(self):
        self.data = {}

    def get(self, key):
        key = normalize_key(key)
${methodBody(8, '        ', (i) => `if key.endswith("${i}") and len(self.data) > ${i}: key = key[:-1]`)}
        return self.data.get(key)

    def put(self, key, value):
        key = normalize_key(key)
${methodBody(8, '        ', (i) => `if len(self.data) > ${i * 1000}: self.data.pop(next(iter(self.data)))`)}
        self.data[key] = value
`,
  },
  {
    lang: 'go',
    rel: 'cmd/server.go',
    small: 'parsePort',
    big: 'serve',
    bigIsClass: false,
    members: [],
    call: 'parsePort',
    text: `package main

import "strconv"

func parsePort(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func serve(addr string) error {
	port := parsePort(addr)
${methodBody(30, '\t', (i) => `if port == ${i} { port = port + ${i + 1}; println("retrying on port", port) }`)}
	return nil
}
`,
  },
  {
    lang: 'rust',
    rel: 'src/counter.rs',
    small: 'double',
    big: 'Counter',
    bigIsClass: true,
    members: ['Counter.incr', 'Counter.reset'],
    call: 'double',
    text: `pub fn double(x: u64) -> u64 {
    x * 2
}

pub struct Counter {
    n: u64,
}

impl Counter {
    pub fn incr(&mut self) {
${methodBody(8, '        ', (i) => `if self.n == ${i} { self.n = double(self.n) + ${i}; }`)}
    }

    pub fn reset(&mut self) {
${methodBody(8, '        ', (i) => `if self.n > ${i * 10} { self.n -= ${i}; }`)}
    }
}
`,
  },
  {
    lang: 'java',
    rel: 'src/main/java/Accounts.java',
    small: 'Accounts.isValid',
    big: 'Accounts',
    bigIsClass: true,
    members: ['Accounts.deposit', 'Accounts.withdraw'],
    call: 'isValid',
    text: `public class Accounts {
    private long balance;

    static boolean isValid(long amount) {
        return amount > 0;
    }

    public void deposit(long amount) {
        if (!isValid(amount)) throw new IllegalArgumentException("amount");
${methodBody(8, '        ', (i) => `if (balance > ${i * 1000}L) { balance += ${i}; }`)}
        balance += amount;
    }

    public void withdraw(long amount) {
${methodBody(8, '        ', (i) => `if (balance < ${i * 1000}L) { throw new IllegalStateException("low ${i}"); }`)}
        balance -= amount;
    }
}
`,
  },
  {
    lang: 'c',
    rel: 'src/buf.c',
    small: 'buf_len',
    big: 'buf_grow',
    bigIsClass: false,
    members: [],
    call: 'buf_len',
    text: `#include <stdlib.h>

struct buf {
  char *data;
  size_t len, cap;
};

size_t buf_len(const struct buf *b) {
  return b->len;
}

int buf_grow(struct buf *b, size_t need) {
  size_t n = buf_len(b);
${methodBody(30, '  ', (i) => `if (b->cap < need + ${i}) { b->cap = (b->cap + n) * 2 + ${i}; }`)}
  b->data = realloc(b->data, b->cap);
  return b->data ? 0 : -1;
}
`,
  },
  {
    lang: 'cpp',
    rel: 'src/ring.cpp',
    small: 'wrap',
    big: 'Ring',
    bigIsClass: true,
    members: ['Ring.push', 'Ring.pop'],
    call: 'wrap',
    text: `#include <vector>

static int wrap(int i, int n) {
  return (i % n + n) % n;
}

class Ring {
 public:
  void push(int v) {
${methodBody(8, '    ', (i) => `if (head_ == ${i}) { head_ = wrap(head_ + ${i}, size_); }`)}
    data_[head_] = v;
  }

  int pop() {
${methodBody(8, '    ', (i) => `if (tail_ == ${i}) { tail_ = wrap(tail_ - ${i}, size_); }`)}
    return data_[tail_];
  }

 private:
  std::vector<int> data_;
  int head_ = 0, tail_ = 0, size_ = 16;
};
`,
  },
];
