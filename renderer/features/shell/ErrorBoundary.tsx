// Catches render errors anywhere below it and shows them readably (typed code + message), with retry.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorTitle, toUiError, type UiError } from '../../lib/errors';

interface Props {
  children: ReactNode;
  /** Shown in the heading, e.g. the section name. */
  where: string;
}

export class ErrorBoundary extends Component<Props, { error: UiError | null }> {
  override state: { error: UiError | null } = { error: null };

  static getDerivedStateFromError(e: unknown): { error: UiError } {
    return { error: toUiError(e) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`[${this.props.where}]`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" className="error-panel" data-testid="error-boundary">
        <h2>
          {this.props.where}: {errorTitle(error)} <code>{error.code}</code>
        </h2>
        <p>{error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
