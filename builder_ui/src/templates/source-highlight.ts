/**
 * The editor's colours: HTML (MJML) tokens in colours that keep 4.5:1 contrast on the active
 * line (CodeMirror's default style does not), and Jinja placeholders marked over them:
 * a decoration layer rather than a mixed grammar, so the HTML parser stays CodeMirror's own.
 * Tags spanning lines are not marked; templates rarely write them so.
 */
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Decoration, type DecorationSet, EditorView, MatchDecorator, ViewPlugin, type ViewUpdate } from "@codemirror/view";
// @lezer/highlight comes with @codemirror/language (not yet listed in package.json).
import { tags } from "@lezer/highlight";

const markupColours = HighlightStyle.define([
  { tag: tags.tagName, color: "#116329" },
  { tag: tags.attributeName, color: "#0550ae" },
  { tag: [tags.attributeValue, tags.string], color: "#0a3069" },
  { tag: [tags.angleBracket, tags.punctuation], color: "#424a53" },
  { tag: tags.comment, color: "#57606a", fontStyle: "italic" },
  { tag: [tags.keyword, tags.atom, tags.number], color: "#cf222e" },
  { tag: tags.invalid, color: "#a40e26" },
]);

const JINJA = /\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}/g;

const jinjaMarks = new MatchDecorator({
  regexp: JINJA,
  decoration: (match) => Decoration.mark({ class: match[0].startsWith("{#") ? "cm-jinja cm-jinja-comment" : "cm-jinja" }),
});

const jinjaPlugin = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = jinjaMarks.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = jinjaMarks.updateDeco(update, this.decorations);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

const jinjaTheme = EditorView.baseTheme({
  // Dark enough for 4.5:1 on the active line's tint as well as on white.
  ".cm-jinja, .cm-jinja *": { color: "#5a32a3", fontWeight: "600" },
  ".cm-jinja-comment, .cm-jinja-comment *": { color: "#59636e", fontWeight: "normal", fontStyle: "italic" },
});

export const sourceHighlight = [syntaxHighlighting(markupColours), jinjaPlugin, jinjaTheme];
