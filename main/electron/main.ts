// Electron main process: single instance, hardened window on the evolve:// scheme, contracts over IPC,
// window state restored, app menu. Heavy work stays in services and workers.
import { app, BrowserWindow, dialog, Menu, Notification, powerMonitor, safeStorage } from 'electron';
import path from 'node:path';
import { createDispatcher } from '../ipc';
import { SafeStorageKeychain } from '../../native/keychain/safe-storage-keychain';
import { createAppServices } from '../services';
import { workerEntry } from '../services/workers';
import { utilitySpawner } from './utility-spawner';
import { APP_URL, handleAppScheme, registerAppScheme } from './app-protocol';
import { applyGlobalHardening } from './hardening';
import { registerIpc } from './ipc-bridge';
import { buildMenu } from './menu';
import { loadWindowState, trackWindowState } from './window-state';

app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.EVOLVE_DATA_DIR ?? app.getPath('userData');
  const services = createAppServices({
    mode: 'electron',
    paths: { dataDir },
    // Workers run as Electron utility processes (native modules are rebuilt for Electron's ABI when packaged).
    spawnWorker: (name) => utilitySpawner(workerEntry(path.join(__dirname, '..', '..'), name).entry, `evolve-${name}`),
    // safeStorage, refusing Linux's basic_text backend; when it is not usable the store records why and asks for a passphrase.
    keychain: async () => new SafeStorageKeychain(safeStorage, path.join(dataDir, 'keystore.safestorage.json')),
    safeStorage,
    pickFolder: async () => {
      const opts: Electron.OpenDialogOptions = { title: 'Add a project folder', properties: ['openDirectory', 'dontAddToRecent'] };
      const win = BrowserWindow.getFocusedWindow();
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    pickSavePath: async (suggestedName) => {
      const opts: Electron.SaveDialogOptions = {
        title: 'Export job',
        defaultPath: path.join(app.getPath('downloads'), suggestedName),
        filters: [{ name: 'Job export (JSON)', extensions: ['json'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const win = BrowserWindow.getFocusedWindow();
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  });
  await services.start();
  // App lock: OS sleep and screen lock lock the app (the decision is the pure, tested shouldLock in app-lock/idle.ts).
  const lockOn = (event: 'suspend' | 'lock-screen') => () =>
    void services.appLock.tick({ kind: 'os', event }).catch((e) => services.log('warn', `app lock on ${event}: ${String(e)}`));
  powerMonitor.on('suspend', lockOn('suspend'));
  powerMonitor.on('lock-screen', lockOn('lock-screen'));
  const dispatcher = createDispatcher(services);
  const rendererDir = path.join(__dirname, '..', 'renderer');
  applyGlobalHardening();
  handleAppScheme(rendererDir);

  const windows = new Set<BrowserWindow>();
  registerIpc(
    dispatcher,
    () => [...windows].filter((w) => !w.isDestroyed()).map((w) => w.webContents.mainFrame),
    () => services.appLock.isLocked(),
  );
  // Notifications also go to the OS when the desktop app runs (the page shows them in-app either way).
  services.events.subscribe((e) => {
    if (e.type === 'notification' && Notification.isSupported()) new Notification({ title: e.title, body: e.body }).show();
  });
  Menu.setApplicationMenu(buildMenu((section) => services.events.publish({ type: 'navigate', section }), !app.isPackaged));

  const createWindow = async () => {
    const state = await loadWindowState(services.paths.dataDir);
    const win = new BrowserWindow({
      ...state,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'Evolve Studio',
      backgroundColor: '#15171b',
      webPreferences: {
        preload: path.join(__dirname, '..', 'preload', 'index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    windows.add(win);
    win.on('closed', () => windows.delete(win));
    if (state.maximized) win.maximize();
    trackWindowState(win, services.paths.dataDir);
    win.once('ready-to-show', () => win.show());
    await win.loadURL(APP_URL);
    return win;
  };

  app.on('second-instance', () => {
    const win = [...windows][0];
    if (!win) return void createWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (windows.size === 0) void createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void services.dispose());
  await createWindow();
}
