// Renderer entry: connect to the app (preload or browser host), then render the shell.
import './lib/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initApi } from './api';
import { App } from './app/App';

const root = createRoot(document.getElementById('root') as HTMLElement);

initApi().then(
  () =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  (e: unknown) =>
    root.render(
      <div role="alert" className="error-panel" data-testid="connect-error">
        <h2>Cannot reach Evolve Studio</h2>
        <p>{e instanceof Error ? e.message : String(e)}</p>
      </div>,
    ),
);
