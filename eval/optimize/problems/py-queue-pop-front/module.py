"""Breadth-first order of a package dependency graph (which packages to build first), for the build planner."""


def build_order(deps, roots):
    """Packages reachable from roots in breadth-first order; deps maps a package to the packages it depends on.

    Each package appears once, at its first discovery; packages missing from deps have no dependencies.
    """
    order = []
    seen = set(roots)
    queue = list(dict.fromkeys(roots))
    while queue:
        package = queue.pop(0)
        order.append(package)
        for dep in deps.get(package, ()):
            if dep not in seen:
                seen.add(dep)
                queue.append(dep)
    return order
