// Settings → Local server: start/stop, fixed port, start with the app, idle unload, the bearer token (revealed on
// request, regenerated on demand) and the base URLs to paste into Continue, Aider or an Ollama client.
import { useState } from 'react';
import type { LocalServerSettings } from '../../../common/contracts/providers';
import { useStore } from '../../app/store';
import { ApiTokensPanel } from '../settings/ApiTokensPanel';

function SettingsForm({ settings, onSave }: { settings: LocalServerSettings; onSave: (p: Partial<LocalServerSettings>) => void }) {
  const [port, setPort] = useState(String(settings.port));
  const [idle, setIdle] = useState(String(Math.round(settings.idleUnloadSeconds / 60)));
  const portNum = Number(port);
  const idleNum = Number(idle);
  const valid = Number.isInteger(portNum) && portNum >= 1024 && portNum <= 65_535 && Number.isInteger(idleNum) && idleNum >= 0;
  return (
    <div className="row">
      <label>
        Port <input type="number" min="1024" max="65535" value={port} onChange={(e) => setPort(e.target.value)} data-testid="server-port" />
      </label>
      <label>
        Unload idle models after (minutes, 0 = never){' '}
        <input type="number" min="0" value={idle} onChange={(e) => setIdle(e.target.value)} data-testid="server-idle" />
      </label>
      <button
        type="button"
        disabled={!valid}
        onClick={() => onSave({ port: portNum, idleUnloadSeconds: idleNum * 60 })}
        data-testid="server-save"
      >
        Save
      </button>
      <label className="toggle">
        <input
          type="checkbox"
          checked={settings.startWithApp}
          onChange={(e) => onSave({ startWithApp: e.target.checked })}
          data-testid="server-start-with-app"
        />{' '}
        Start with the app
      </label>
    </div>
  );
}

export function LocalServerPanel() {
  const server = useStore((s) => s.providers.server);
  const token = useStore((s) => s.providers.serverToken);
  const start = useStore((s) => s.startServer);
  const stop = useStore((s) => s.stopServer);
  const save = useStore((s) => s.saveServerSettings);
  const reveal = useStore((s) => s.revealServerToken);
  const regenerate = useStore((s) => s.regenerateServerToken);
  const hide = useStore((s) => s.hideServerToken);
  if (!server) return null;
  const origin = server.url ? server.url.replace(/\/v1$/, '') : `http://127.0.0.1:${server.settings.port}`;
  return (
    <fieldset data-testid="local-server">
      <legend>Local server (OpenAI- and Ollama-compatible)</legend>
      <p className="hint">
        Lets Continue, Aider, the OpenAI SDKs and Ollama clients use this computer’s models at 127.0.0.1 with a bearer token. Models load on
        the first request. Off until you start it.
      </p>
      {server.running ? (
        <p data-testid="server-url">
          Running. OpenAI base URL <code>{server.url}</code> · Ollama URL <code>{origin}</code>{' '}
          <button type="button" onClick={() => void stop()} data-testid="server-stop">
            Stop server
          </button>
        </p>
      ) : (
        <p>
          Stopped.{' '}
          <button type="button" onClick={() => void start()} data-testid="server-start">
            Start server on port {server.settings.port}
          </button>
        </p>
      )}
      {server.lastError && (
        <p role="alert" className="error-text" data-testid="server-error">
          {server.lastError}
        </p>
      )}
      <SettingsForm
        // Remounts (fresh inputs) when the saved values change.
        key={`${server.settings.port}:${server.settings.idleUnloadSeconds}`}
        settings={server.settings}
        onSave={(p) => void save(p)}
      />
      <div className="row">
        {token ? (
          <>
            <span data-testid="server-token">
              Bearer token: <code className="recovery-key">{token}</code>
            </span>
            <button type="button" onClick={hide} data-testid="server-token-hide">
              Hide
            </button>
          </>
        ) : (
          <button type="button" onClick={() => void reveal()} data-testid="server-token-reveal">
            {server.hasToken ? 'Show token' : 'Create token'}
          </button>
        )}
        <button type="button" onClick={() => void regenerate()} data-testid="server-token-regenerate">
          Regenerate token
        </button>
      </div>
      <p className="hint">The token lives in the keychain; regenerating it stops the old one at once (editors must be updated).</p>
      <ApiTokensPanel />
    </fieldset>
  );
}
