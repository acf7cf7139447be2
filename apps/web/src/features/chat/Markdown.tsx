import bash from "highlight.js/lib/languages/bash";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import typescript from "highlight.js/lib/languages/typescript";
import yaml from "highlight.js/lib/languages/yaml";
import { memo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { CopyButton } from "../../ui/CopyButton";

// A handful of languages keeps the chat chunk small; others render as plain code.
const languages = { bash, javascript, json, python, typescript, yaml };
const rehypePlugins = [[rehypeHighlight, { languages, detect: false, plainText: ["text", "txt"] }] as const] as never;
const remarkPlugins = [remarkGfm];

interface HastNode {
  type: string;
  value?: string;
  children?: HastNode[];
}

function hastText(node: HastNode | undefined): string {
  if (!node) return "";
  if (node.type === "text") return node.value ?? "";
  return (node.children ?? []).map(hastText).join("");
}

const components: Components = {
  pre({ node, children }) {
    const code = hastText(node as HastNode | undefined);
    return (
      <div className="code-block">
        <CopyButton text={code.replace(/\n$/, "")} label="Copy code" className="btn btn-secondary btn-sm code-copy" />
        <pre>{children}</pre>
      </div>
    );
  },
  a({ href, children }) {
    return (
      <a href={href} target="_blank" rel="noreferrer noopener">
        {children}
      </a>
    );
  },
};

/**
 * The assistant's Markdown. Raw HTML in it is shown as text, never rendered (react-markdown's
 * default), and link URLs go through its safe-protocol filter.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components} skipHtml>
        {text}
      </ReactMarkdown>
    </div>
  );
});
