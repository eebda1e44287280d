// Global keyboard shortcuts: Ctrl/Cmd+digit switch sections (see SECTION_INFO).
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
