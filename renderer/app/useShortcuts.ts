// Global keyboard shortcuts: Ctrl/Cmd+1…6 switch sections.
import { useEffect } from 'react';
import { SECTION_INFO } from './sections';
import { useStore } from './store';

export function useShortcuts(): void {
  const navigate = useStore((s) => s.navigate);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const info = SECTION_INFO.find((s) => s.shortcut === e.key);
      if (!info) return;
      e.preventDefault();
      navigate(info.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
}
