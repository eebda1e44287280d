// The application menu: standard roles plus a Go menu whose items navigate the page (Ctrl/Cmd+1…6).
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { Section } from '../../common/contracts/app';

const GO: { label: string; section: Section; key: string }[] = [
  { label: 'Assistant', section: 'assistant', key: '1' },
  { label: 'Projects', section: 'projects', key: '2' },
  { label: 'Models', section: 'models', key: '3' },
  { label: 'Cluster', section: 'cluster', key: '4' },
  { label: 'Audit', section: 'audit', key: '5' },
  { label: 'Settings', section: 'settings', key: '6' },
];

export function buildMenu(navigate: (s: Section) => void, isDev: boolean): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'Go',
      submenu: GO.map((g) => ({ label: g.label, accelerator: `CmdOrCtrl+${g.key}`, click: () => navigate(g.section) })),
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(isDev ? [{ role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
