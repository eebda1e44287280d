// The sign-in control's states (signed in with a role from claims, a device code waiting with cancel, a bearer JWT's
// expiry, the http:// warning) and the form's claim → role mapping parser.
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../../../common/cluster/auth';
import { ClusterProfileSchema } from '../../../../common/cluster/profile';
import { parseRoleMap } from '../../../../renderer/features/cluster/ProfilesPanel';
import { SignInControl } from '../../../../renderer/features/cluster/SignInControl';
import { useClusterSignIn } from '../../../../renderer/features/cluster/sign-in-store';

const html = (el: React.ReactElement) => renderToString(el).replace(/<!-- -->/g, '');
const oidcProfile = ClusterProfileSchema.parse({
  id: 'lab',
  name: 'Lab',
  dashboardUrl: 'http://10.0.0.5:8265',
  auth: { mode: 'oidc', oidc: { issuer: 'https://idp.example', clientId: 'evolve', roleClaim: 'groups', roleMap: { admins: 'admin' } } },
});
const base: AuthStatus = {
  profileId: 'lab',
  mode: 'oidc',
  signedIn: false,
  expired: false,
  canRefresh: false,
  roleFromClaims: null,
  httpUrls: [],
  httpRefused: false,
};

/** renderToString reads zustand's server snapshot (the initial state): set both. */
function setState(s: Partial<ReturnType<typeof useClusterSignIn.getState>>): void {
  useClusterSignIn.setState(s);
  Object.assign(useClusterSignIn.getInitialState(), s);
}
afterEach(() => setState({ status: {}, pending: null, error: null }));

describe('SignInControl', () => {
  it('signed in: who, the role from claims, expiry and Sign out', () => {
    setState({
      status: {
        lab: { ...base, signedIn: true, email: 'alice@example.test', roleFromClaims: 'admin', expiresAt: Date.now() + 3 * 3600_000 },
      },
    });
    const out = html(<SignInControl profile={oidcProfile} />);
    expect(out).toContain('Signed in as <strong>alice@example.test</strong>');
    expect(out).toContain('role from your identity provider: admin');
    expect(out).toContain('expires in 3 h');
    expect(out).toContain('data-testid="cluster-sign-out"');
  });

  it('a sign-in in progress shows the code, the URL, copy buttons and Cancel', () => {
    setState({
      status: { lab: base },
      pending: {
        profileId: 'lab',
        cancel: () => undefined,
        prompt: {
          userCode: 'BCDF-GHJK',
          verificationUri: 'https://idp.example/device',
          expiresAt: Date.now() + 600_000,
          intervalS: 5,
          qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        },
      },
    });
    const out = html(<SignInControl profile={oidcProfile} />);
    expect(out).toContain('BCDF-GHJK');
    expect(out).toContain('href="https://idp.example/device"');
    expect(out).toContain('data-testid="cluster-copy-code"');
    expect(out).toContain('data-testid="cluster-sign-in-cancel"');
    expect(out).toContain('data-testid="cluster-sign-in-qr"');
    expect(out).not.toContain('cluster-sign-in-start');
  });

  it('signed out: a Sign in button; an http:// URL on the network is warned about', () => {
    setState({ status: { lab: { ...base, httpUrls: ['http://10.0.0.5:8265'], httpRefused: true } } });
    const out = html(<SignInControl profile={oidcProfile} />);
    expect(out).toContain('data-testid="cluster-sign-in-start"');
    expect(out).toContain('The token is not sent to http://10.0.0.5:8265');
  });

  it('a bearer JWT that expired is shown as expired', () => {
    const bearer = ClusterProfileSchema.parse({ id: 'lab', name: 'Lab', dashboardUrl: 'https://ray.example', hasToken: true });
    setState({ status: { lab: { ...base, mode: 'bearer', signedIn: true, expiresAt: Date.now() - 5 * 60_000, expired: true } } });
    const out = html(<SignInControl profile={bearer} />);
    expect(out).toContain('Token expired 5 min ago');
    expect(out).not.toContain('Sign in');
  });

  it('renders nothing for a profile without auth', () => {
    const none = ClusterProfileSchema.parse({ id: 'lab', name: 'Lab', dashboardUrl: 'http://127.0.0.1:8265' });
    expect(html(<SignInControl profile={none} />)).toBe('');
  });
});

describe('parseRoleMap', () => {
  it('keeps value=role pairs with a known role and drops the rest', () => {
    expect(parseRoleMap('ml-admins=admin, ml-ops = operator\nviewers=viewer, bogus=root, =admin, nothing')).toEqual({
      'ml-admins': 'admin',
      'ml-ops': 'operator',
      viewers: 'viewer',
    });
  });
});
