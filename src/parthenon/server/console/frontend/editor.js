// The console's SQL editor: CodeMirror 6 with a Trino-flavoured SQL dialect.
// Bundled by `npm run build` (esbuild) into ../static/editor.js as the global `PEditor`;
// the rest of the console is plain JS and talks to it only through createEditor().
import {EditorState, Compartment, Prec} from "@codemirror/state";
import {EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
        drawSelection, placeholder} from "@codemirror/view";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {sql, SQLDialect} from "@codemirror/lang-sql";
import {syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput} from "@codemirror/language";
import {autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap} from "@codemirror/autocomplete";
import {lintGutter, setDiagnostics, diagnosticCount} from "@codemirror/lint";
import {searchKeymap, highlightSelectionMatches} from "@codemirror/search";
import {tags as t} from "@lezer/highlight";

// Colours come from CSS variables so the light and dark themes are one stylesheet switch.
const highlight = HighlightStyle.define([
  {tag: t.keyword, color: "var(--syn-keyword)", fontWeight: "600"},
  {tag: [t.typeName, t.standard(t.name)], color: "var(--syn-type)"},
  {tag: [t.string, t.special(t.string)], color: "var(--syn-string)"},
  {tag: [t.number, t.bool, t.null], color: "var(--syn-number)"},
  {tag: [t.lineComment, t.blockComment], color: "var(--syn-comment)", fontStyle: "italic"},
  {tag: [t.operator, t.punctuation], color: "var(--syn-punct)"},
  {tag: t.special(t.name), color: "var(--syn-quoted)"},
]);

const theme = EditorView.theme({
  "&": {height: "100%", fontSize: "13.5px", backgroundColor: "var(--editor-bg)", color: "var(--fg)"},
  ".cm-scroller": {fontFamily: "var(--mono)", lineHeight: "1.55"},
  ".cm-content": {caretColor: "var(--accent)"},
  ".cm-gutters": {backgroundColor: "var(--editor-gutter)", color: "var(--muted)", border: "none"},
  ".cm-activeLine": {backgroundColor: "var(--editor-active)"},
  ".cm-activeLineGutter": {backgroundColor: "var(--editor-active)"},
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection":
    {backgroundColor: "var(--editor-selection) !important"},
  ".cm-tooltip": {backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)"},
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": {backgroundColor: "var(--accent)", color: "#fff"},
  ".cm-completionDetail": {color: "var(--muted)", fontStyle: "normal", marginLeft: "1em"},
  ".cm-tooltip-autocomplete > ul > li[aria-selected] .cm-completionDetail": {color: "rgba(255,255,255,.8)"},
  ".cm-tooltip-autocomplete > ul": {fontFamily: "var(--mono)", fontSize: "12.5px"},
  ".cm-diagnostic-error": {borderLeft: "4px solid var(--danger)"},
});

export function createEditor(parent, options) {
  const {doc = "", onRun, onChange, completions, keywords, functions, types} = options;
  const dialect = SQLDialect.define({
    keywords: keywords.join(" ").toLowerCase(),
    types: types.join(" ").toLowerCase(),
    builtin: functions.join(" ").toLowerCase(),
    backslashEscapes: false, doubleQuotedStrings: false,
    identifierQuotes: '"`', hashComments: false, operatorChars: "*+-%<>!=&|/~^",
  });
  // One completion source owns everything (keywords, functions, catalog names, struct
  // fields): the app knows the catalog, so it answers for a dotted path before the cursor.
  function source(context) {
    const before = context.matchBefore(/(?:[A-Za-z_][\w$]*\.)*[A-Za-z_$]?[\w$]*/);
    if (!before || (before.from === before.to && !context.explicit)) return null;
    const parts = before.text.split(".");
    const word = parts.pop();
    const options = completions(parts, word, context.state.doc.toString());
    if (!options.length) return null;
    return {from: before.to - word.length, options, validFor: /^[\w$]*$/};
  }
  const themeSlot = new Compartment();
  const runKeys = Prec.highest(keymap.of([
    {key: "Mod-Enter", run: () => { onRun(); return true; }},
    {key: "Shift-Enter", run: () => { onRun(); return true; }},
  ]));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        runKeys, lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(),
        indentOnInput(), bracketMatching(), closeBrackets(), highlightActiveLine(),
        highlightSelectionMatches(), lintGutter(),
        sql({dialect, upperCaseKeywords: true}),
        dialect.language.data.of({autocomplete: source}),
        autocompletion({override: [source], activateOnTyping: true, icons: true}),
        syntaxHighlighting(highlight), theme, themeSlot.of([]), EditorView.lineWrapping,
        placeholder("SELECT … — Ctrl+Enter runs the query (or the selection)"),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap,
                   ...completionKeymap, indentWithTab]),
        EditorView.updateListener.of(u => {
          if (u.docChanged) {
            if (onChange) onChange(u.state.doc.toString());
            // an edit makes an old error's position stale; clear it after this update
            if (diagnosticCount(u.state)) setTimeout(() => view.dispatch(setDiagnostics(view.state, [])));
          }
        }),
      ],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}});
    },
    // The text to run: the selection when there is one, else the whole document;
    // `from` lets an error position in the run text map back into the editor.
    runnable() {
      const sel = view.state.selection.main;
      if (!sel.empty) return {text: view.state.sliceDoc(sel.from, sel.to), from: sel.from};
      return {text: view.state.doc.toString(), from: 0};
    },
    insert(text) {
      const sel = view.state.selection.main;
      view.dispatch({changes: {from: sel.from, to: sel.to, insert: text},
                     selection: {anchor: sel.from + text.length}});
      view.focus();
    },
    // An error at a 1-based line:column of the text that ran from `from`.
    showError(line, column, message, from = 0) {
      const doc = view.state.doc;
      const base = doc.lineAt(from);
      const lineNo = Math.min(base.number + line - 1, doc.lines);
      const target = doc.line(lineNo);
      const startCol = lineNo === base.number ? from - base.from : 0;
      const pos = Math.min(target.from + startCol + column - 1, target.to);
      const wordEnd = (target.text.slice(pos - target.from).match(/^[\w$]+/) || [""])[0].length;
      const end = Math.min(Math.max(pos + wordEnd, pos + 1), doc.length);
      view.dispatch(setDiagnostics(view.state, [{from: pos, to: Math.max(end, pos), severity: "error", message}]),
                    {selection: {anchor: pos}, scrollIntoView: true});
    },
    clearErrors() { view.dispatch(setDiagnostics(view.state, [])); },
    focus: () => view.focus(),
  };
}
