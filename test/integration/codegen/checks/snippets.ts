// Code snippets shared by the checks tests: clean ones that must yield no finding, hostile ones with known lines.
export const CLEAN_PY = `"""Small, clean module: must produce no finding in any engine."""


def mean(values: list[float]) -> float:
    """Arithmetic mean; raises on an empty list."""
    if not values:
        raise ValueError("mean of an empty list")
    return sum(values) / len(values)
`;

export const CLEAN_TS = `// A small clean module: no finding in tsc, ESLint or the security scan.
export interface Point {
  x: number;
  y: number;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
`;

/** Python with a shell=True subprocess call (line 6) and eval of input (line 7). */
export const HOSTILE_PY = `import subprocess


def run(user_cmd: str) -> int:
    """Runs what the user typed (badly)."""
    code = subprocess.call(user_cmd, shell=True)
    value = eval(input("expr: "))
    return code + int(value)
`;

/** TS with eval of input (line 3) and innerHTML of user data (line 4). */
export const HOSTILE_TS = `export function render(query: string): void {
  const el = document.getElementById('out')!;
  const value = eval(query);
  el.innerHTML = '<b>' + query + '</b>' + String(value);
}
`;

/** A hard-coded AWS secret access key (line 2); a made-up value, shaped like a real one. */
export const AWS_KEY_PY = `REGION = "eu-west-1"
AWS_SECRET_ACCESS_KEY = "Zq8vR2mT7kLp0XwN4sB6yH1cJ9dF3gA5eU8iO2rQ"
`;
