// The MSI hook (assets/installer/msi-policy.mjs) against electron-builder's own
// WiX template: the WFA_POLICY property and its registry value land inside
// <Product>, and the project stays well-formed XML.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addPolicyProperty } from '../../assets/installer/msi-policy.mjs';

const require = createRequire(import.meta.url);

/** The little of the DOM this test reads (the root tsconfig has no DOM types; jsdom ships none). */
interface XmlElement {
  readonly tagName: string;
  readonly textContent: string | null;
  readonly parentElement: XmlElement | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement> & Iterable<XmlElement>;
}
type XmlParser = new () => { parseFromString(text: string, type: string): XmlElement };
const { JSDOM } = require('jsdom') as { JSDOM: new () => { window: { DOMParser: XmlParser } } };

const TEMPLATE = readFileSync(join(require.resolve('app-builder-lib/package.json'), '..', 'templates', 'msi', 'template.xml'), 'utf8');

function parseXml(text: string): XmlElement {
  const document = new new JSDOM().window.DOMParser().parseFromString(text, 'application/xml');
  const error = document.getElementsByTagName('parsererror')[0];
  if (error !== undefined) throw new Error(`not well-formed XML: ${error.textContent ?? ''}`);
  return document;
}

describe('msi-policy hook', () => {
  const wxs = addPolicyProperty(TEMPLATE);
  const document = parseXml(wxs);
  const product = document.getElementsByTagName('Product')[0]!;

  it('declares WFA_POLICY as a secure public property of the product', () => {
    const property = [...product.getElementsByTagName('Property')].find((p) => p.getAttribute('Id') === 'WFA_POLICY');
    expect(property?.getAttribute('Secure')).toBe('yes');
  });

  it('writes the property into HKLM\\SOFTWARE\\Policies\\Workforce Access\\PolicyPath, only when it is given, and keeps it on uninstall', () => {
    const component = [...product.getElementsByTagName('Component')].find((c) => c.getAttribute('Id') === 'WorkforceAccessPolicyPath')!;
    expect(component.getElementsByTagName('Condition')[0]?.textContent).toBe('WFA_POLICY');
    expect(component.getAttribute('Win64')).toBe('yes');
    expect(component.getAttribute('Permanent')).toBe('yes');
    const value = component.getElementsByTagName('RegistryValue')[0]!;
    expect(Object.fromEntries(['Root', 'Key', 'Name', 'Value'].map((name) => [name, value.getAttribute(name)]))).toEqual({
      Root: 'HKLM',
      Key: 'SOFTWARE\\Policies\\Workforce Access',
      Name: 'PolicyPath',
      Value: '[WFA_POLICY]',
    });
    // Under the application folder, and in a feature that is always installed, or the component would never be.
    expect(component.parentElement?.getAttribute('Id')).toBe('APPLICATIONFOLDER');
    const reference = [...product.getElementsByTagName('ComponentRef')].find((c) => c.getAttribute('Id') === 'WorkforceAccessPolicyPath');
    expect(reference?.parentElement?.tagName).toBe('Feature');
    expect(reference?.parentElement?.getAttribute('Level')).toBe('1');
  });

  it('adds it once, and refuses a project without <Product>', () => {
    expect(addPolicyProperty(wxs)).toBe(wxs);
    expect(() => addPolicyProperty('<Wix/>')).toThrow(/no <\/Product>/);
  });
});
