// Renders model output as markdown. Model output is untrusted: raw HTML is never rendered, links are
// limited to http(s)/mailto and open outside the app, images are shown as links (no remote fetches),
// and code blocks get syntax highlighting and a copy button.
import { useMemo, useState, type ComponentProps, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** Keeps only absolute http(s)/mailto URLs; everything else (javascript:, data:, file:, relative) is dropped. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    return SAFE_PROTOCOLS.has(u.protocol) ? u.toString() : '';
  } catch {
    return '';
  }
}

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object' && 'props' in node) return textOf((node.props as { children?: ReactNode }).children);
  return '';
}

/** What a code block offers besides Copy: "Apply to file…" on answers of a thread with a project. */
export type CodeAction = (code: string, lang: string | undefined) => void;

function CodeBlock({ children, onApply, ...rest }: ComponentProps<'pre'> & { onApply?: CodeAction }) {
  const [copied, setCopied] = useState(false);
  const code = textOf(children);
  const lang = /language-([\w+-]+)/.exec(textOf((children as { props?: { className?: string } })?.props?.className ?? ''))?.[1];
  const copy = () => {
    void navigator.clipboard?.writeText(code).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <div className="code-block">
      <div className="code-toolbar">
        <span>{lang ?? 'code'}</span>
        <button type="button" onClick={copy} aria-label="Copy code" data-testid="copy-code">
          {copied ? 'Copied' : 'Copy'}
        </button>
        {onApply && (
          <button type="button" onClick={() => onApply(code, lang)} data-testid="apply-code">
            Apply to file…
          </button>
        )}
      </div>
      <pre {...rest}>{children}</pre>
    </div>
  );
}

const components: Components = {
  pre: ({ node: _node, ...props }) => <CodeBlock {...props} />,
  a: ({ node: _node, href, children }) => {
    const url = safeUrl(href ?? '');
    if (!url) return <span className="link-removed">{children}</span>;
    return (
      <a href={url} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  },
  // No remote images: they would be fetched (tracking) and are blocked by the CSP anyway.
  img: ({ node: _node, src, alt }) => {
    const url = typeof src === 'string' ? safeUrl(src) : '';
    return (
      <span className="image-placeholder">
        [image: {alt || 'untitled'}
        {url ? ` — ${url}` : ''}]
      </span>
    );
  },
};

export function Markdown({ text, onApply }: { text: string; onApply?: CodeAction }) {
  const withApply = useMemo<Components>(
    () => (onApply ? { ...components, pre: ({ node: _node, ...props }) => <CodeBlock {...props} onApply={onApply} /> } : components),
    [onApply],
  );
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeHighlight, { detect: true }]]}
        components={withApply}
        skipHtml
        urlTransform={(url) => safeUrl(url)}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
