/**
 * A translated sentence with elements inside it (`<code>`, `<strong>`, a link): the message
 * keeps `{name}` where each goes, so each language puts them where its word order wants them.
 * Translate with the text params only; the placeholders left are filled here.
 */
import { Fragment, type ReactNode } from "react";

export function rich(text: string, nodes: Readonly<Record<string, ReactNode>>): ReactNode {
  return text.split(/(\{\w+\})/).map((part, index) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    const node = name !== undefined && Object.hasOwn(nodes, name) ? nodes[name] : part;
    return <Fragment key={index}>{node}</Fragment>;
  });
}
