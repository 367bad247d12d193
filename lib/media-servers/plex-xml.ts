// A lean reader of Plex's XML, for the poll's hot path: the same tree fast-xml-parser builds with
// plex.ts's options (attributes as string properties, a repeated child tag as an array, an empty
// element as ''), checked for well-formedness as it goes (tags balance, one root, quoted
// attributes), in one pass. Validating and then parsing with fast-xml-parser cost ~12 ms of CPU per
// 20-session /status/sessions, most of a poll cycle's; this does both in a fraction of that.
export type XmlNode = Record<string, unknown>;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
// The five XML entities only, as fast-xml-parser does without `htmlEntities`.
const decode = (s: string) => (s.includes('&') ? s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ENTITIES[e]!) : s);

const NAME = /[^\s/>=<"']+/y;
const ATTRIBUTE = /\s+([^\s/>=<"']+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const SPACE = /\s*/y;

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * The attribute starting at `p` (after at least one space), or null. The usual shape, ` name="value"`,
 * is read with indexOf (most of a session list is attributes); anything else goes through the
 * full pattern.
 */
function readAttribute(xml: string, p: number): { name: string; value: string; end: number } | null {
  if (!isSpace(xml.charCodeAt(p))) return null;
  const eq = xml.indexOf('="', p + 1);
  if (eq > p + 1) {
    const name = xml.slice(p + 1, eq);
    const close = xml.indexOf('"', eq + 2);
    if (close > 0 && /^[^\s/>=<"']+$/.test(name)) {
      const value = xml.slice(eq + 2, close);
      if (!value.includes('<')) return { name, value, end: close + 1 };
    }
  }
  ATTRIBUTE.lastIndex = p;
  const m = ATTRIBUTE.exec(xml);
  return m ? { name: m[1]!, value: m[2] ?? m[3] ?? '', end: ATTRIBUTE.lastIndex } : null;
}

interface Frame {
  name: string;
  node: XmlNode;
  text: string;
  children: number;
  attributes: number;
}

function addChild(parent: Frame, name: string, value: unknown): void {
  const held = parent.node[name];
  if (held === undefined) parent.node[name] = value;
  else if (Array.isArray(held)) held.push(value);
  else parent.node[name] = [held, value];
  parent.children += 1;
}

function close(frame: Frame): unknown {
  const text = frame.text.trim();
  if (frame.children === 0 && frame.attributes === 0) return decode(text);
  if (text) frame.node['#text'] = decode(text);
  return frame.node;
}

/** The document as a tree, or why it is not well-formed XML. */
export function parsePlexXml(xml: string): { doc: XmlNode } | { error: string } {
  const root: Frame = { name: '', node: {}, text: '', children: 0, attributes: 0 };
  const stack: Frame[] = [root];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text) {
      if (top === root) {
        if (text.trim()) return { error: 'text outside the root element' };
      } else top.text += text;
    }
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) return { error: 'unterminated comment' };
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0 || top === root) return { error: 'misplaced or unterminated CDATA' };
        // Kept verbatim: `close` decodes text, so escape what CDATA means literally.
        top.text += xml.slice(lt + 9, end).replace(/&/g, '&amp;');
        i = end + 3;
      } else if (xml.startsWith('<!DOCTYPE', lt) && top === root) {
        const subset = xml.indexOf('[', lt);
        const gt = xml.indexOf('>', lt);
        const end = subset >= 0 && subset < gt ? xml.indexOf(']>', subset) + 1 : gt;
        if (end <= 0) return { error: 'unterminated DOCTYPE' };
        i = end + 1;
      } else return { error: `unexpected "<!" at ${lt}` };
      continue;
    }
    if (next === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) return { error: 'unterminated processing instruction' };
      i = end + 2;
      continue;
    }
    if (next === 47 /* / */) {
      const end = xml.indexOf('>', lt + 2);
      if (end < 0) return { error: 'unterminated closing tag' };
      const name = xml.slice(lt + 2, end).trim();
      if (top === root || name !== top.name) return { error: `closing tag </${name}> does not match <${top.name || '(none)'}>` };
      stack.pop();
      addChild(stack[stack.length - 1]!, name, close(top));
      i = end + 1;
      continue;
    }
    NAME.lastIndex = lt + 1;
    const nameMatch = NAME.exec(xml);
    if (!nameMatch) return { error: `invalid tag at ${lt}` };
    const name = nameMatch[0];
    if (top === root && root.children > 0) return { error: 'more than one root element' };
    const frame: Frame = { name, node: {}, text: '', children: 0, attributes: 0 };
    let p = NAME.lastIndex;
    for (;;) {
      const attr = readAttribute(xml, p);
      if (!attr) break;
      frame.node[attr.name] = decode(attr.value);
      frame.attributes += 1;
      p = attr.end;
    }
    SPACE.lastIndex = p;
    SPACE.exec(xml);
    p = SPACE.lastIndex;
    if (xml.startsWith('/>', p)) {
      addChild(top, name, close(frame));
      i = p + 2;
    } else if (xml.charCodeAt(p) === 62 /* > */) {
      stack.push(frame);
      i = p + 1;
    } else return { error: `malformed tag <${name}> at ${lt}` };
  }
  if (stack.length > 1) return { error: `<${stack[stack.length - 1]!.name}> is not closed (truncated?)` };
  if (root.children === 0) return { error: 'no root element' };
  return { doc: root.node };
}
