import { DOMParser } from '@xmldom/xmldom';

/** SAML 2.0 and XML Signature namespaces (saml-core §1.2, saml-metadata §1.1, xmldsig-core §3). */
export const NS = {
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/**
 * Parses untrusted XML (metadata documents, SAML responses) into a DOM, or undefined when it is
 * not well-formed. A document type declaration is refused outright: SAML never needs one, and it is
 * the door to entity expansion and external entities (xmldom resolves neither, but the verifier
 * behind us should never be the one to find out).
 */
export function parseXml(text: string): Document | undefined {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) return undefined;
  let failed = false;
  const onError = (): void => {
    failed = true;
  };
  const document = new DOMParser({
    locator: {},
    errorHandler: { warning: () => undefined, error: onError, fatalError: onError },
  }).parseFromString(text, 'text/xml');
  if (failed || !document?.documentElement) return undefined;
  return document;
}

/** The child elements of `parent` with a namespace and local name, in document order. */
export function children(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const element = node as Element;
      if (element.namespaceURI === namespace && element.localName === localName) found.push(element);
    }
  }
  return found;
}

/** The first child element of `parent` with a namespace and local name. */
export function child(parent: Element, namespace: string, localName: string): Element | undefined {
  return children(parent, namespace, localName)[0];
}

/** Every descendant element with a namespace and local name, in document order. */
export function descendants(parent: Document | Element, namespace: string, localName: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(namespace, localName));
}

/** The element's text with surrounding whitespace removed. */
export function text(element: Element | undefined): string {
  return (element?.textContent ?? '').trim();
}

/** Escapes a value for an XML attribute or text node. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
