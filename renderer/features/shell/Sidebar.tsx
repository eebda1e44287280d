// Section navigation: a vertical tab list; arrow keys move between sections, Ctrl/Cmd+digit jumps.
import { useRef, type KeyboardEvent } from 'react';
import { SECTION_INFO } from '../../app/sections';
import { useStore } from '../../app/store';
import { LockNowButton } from '../lock/LockNowButton';

export function Sidebar() {
  const section = useStore((s) => s.section);
  const navigate = useStore((s) => s.navigate);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);

  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const delta = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = (index + delta + SECTION_INFO.length) % SECTION_INFO.length;
    const info = SECTION_INFO[next];
    if (!info) return;
    navigate(info.id);
    refs.current[next]?.focus();
  };

  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="brand">Evolve Studio</div>
      <div role="tablist" aria-orientation="vertical">
        {SECTION_INFO.map((info, i) => (
          <button
            key={info.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${info.id}`}
            aria-selected={section === info.id}
            aria-controls="section-panel"
            tabIndex={section === info.id ? 0 : -1}
            data-testid={`nav-${info.id}`}
            className={section === info.id ? 'nav-item active' : 'nav-item'}
            onClick={() => navigate(info.id)}
            onKeyDown={(e) => onKeyDown(e, i)}
            title={`${info.description} (Ctrl+${info.shortcut})`}
          >
            <span>{info.label}</span>
            <kbd>{info.shortcut}</kbd>
          </button>
        ))}
      </div>
      <LockNowButton />
    </nav>
  );
}
