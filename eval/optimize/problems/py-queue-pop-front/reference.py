"""Reference: collections.deque, whose popleft is O(1) (list.pop(0) shifts the whole list: O(n) per pop)."""

from collections import deque


def build_order(deps, roots):
    order = []
    seen = set(roots)
    queue = deque(dict.fromkeys(roots))
    while queue:
        package = queue.popleft()
        order.append(package)
        for dep in deps.get(package, ()):
            if dep not in seen:
                seen.add(dep)
                queue.append(dep)
    return order
