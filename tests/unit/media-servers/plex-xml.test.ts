// The lean Plex XML reader must build exactly the tree fast-xml-parser (validate + parse, the
// options plex.ts used) builds, and refuse what the validator refuses, truncation above all.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parsePlexXml } from '@/lib/media-servers/plex-xml';

const dir = join(process.cwd(), 'tests/fixtures/plex');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.xml'));
const reference = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false });
const referenceTree = (xml: string) => {
  const { '?xml': _declaration, ...doc } = reference.parse(xml) as Record<string, unknown>;
  return doc;
};

describe('parsePlexXml', () => {
  test.each(fixtures)('%s: the same tree as fast-xml-parser', (name) => {
    const xml = readFileSync(join(dir, name), 'utf8').trim();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parsePlexXml(xml)).toEqual({ doc: referenceTree(xml) });
  });

  test.each(fixtures)('%s: every truncation the validator refuses is refused', (name) => {
    const xml = readFileSync(join(dir, name), 'utf8').trim();
    const step = Math.max(1, Math.floor(xml.length / 200));
    for (let k = 1; k < xml.length; k += step) {
      const cut = xml.slice(0, k).trim();
      if (XMLValidator.validate(cut) !== true) expect(parsePlexXml(cut), `cut at ${k}`).toHaveProperty('error');
    }
  });

  test('entities, empty elements, repeated tags, text and junk', () => {
    const xml = '<?xml version="1.0"?><!-- hi --><MediaContainer size="2" title="Tom &amp; Jerry &lt;3 &#39;x&#39;"><Video a=\'1\' b="x>y"/><Video a="2"><Note>hello &quot;you&quot;</Note><Empty></Empty><Empty/></Video></MediaContainer>';
    expect(parsePlexXml(xml)).toEqual({ doc: referenceTree(xml) });
    for (const bad of ['<a><b></a></b>', '<a></a><b></b>', '<a x=1></a>', 'text<a/>', '<a', '<a><!-- x', '<a></b>']) {
      expect(XMLValidator.validate(bad)).not.toBe(true);
      expect(parsePlexXml(bad), bad).toHaveProperty('error');
    }
  });
});
