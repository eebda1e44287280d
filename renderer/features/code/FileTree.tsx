// The project's file tree: one level per folder, listed the first time it is opened (workspace.tree).
import { useStore } from '../../app/store';

function Folder({ dir }: { dir: string }) {
  const listing = useStore((s) => s.code.tree[dir]);
  const expanded = useStore((s) => s.code.expanded);
  const openPath = useStore((s) => s.code.file?.path);
  const toggle = useStore((s) => s.toggleDir);
  const open = useStore((s) => s.openFile);
  if (!listing) return <li className="muted">…</li>;
  return (
    <>
      {listing.entries.map((e) => (
        <li key={e.path}>
          <button
            type="button"
            className={`tree-item${e.kind === 'dir' ? ' dir' : ''}`}
            aria-expanded={e.kind === 'dir' ? expanded.includes(e.path) : undefined}
            aria-current={e.kind === 'file' && openPath === e.path ? 'true' : undefined}
            onClick={() => void (e.kind === 'dir' ? toggle(e.path) : open(e.path))}
            data-testid={`tree-${e.kind}`}
            data-path={e.path}
          >
            {e.kind === 'dir' ? (expanded.includes(e.path) ? '▾ ' : '▸ ') : ''}
            {e.name}
          </button>
          {e.kind === 'dir' && expanded.includes(e.path) && (
            <ul className="tree">
              <Folder dir={e.path} />
            </ul>
          )}
        </li>
      ))}
      {listing.truncated && <li className="muted">(more entries not listed)</li>}
      {listing.entries.length === 0 && <li className="muted">(empty)</li>}
    </>
  );
}

export function FileTree() {
  return (
    <nav className="file-tree" aria-label="Project files" data-testid="file-tree">
      <ul className="tree">
        <Folder dir="" />
      </ul>
    </nav>
  );
}
