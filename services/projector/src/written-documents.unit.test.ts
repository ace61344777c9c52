import { describe, expect, it } from 'vitest';
import { createWrittenDocuments } from './written-documents';

describe('written documents', () => {
  it('knows that a document never written is absent', () => {
    expect(createWrittenDocuments<string>(10).recall('a')).toEqual({ known: true, doc: null });
  });

  it('recalls the latest version written', () => {
    const docs = createWrittenDocuments<string>(10);
    docs.remember('a', 'v1');
    docs.remember('a', 'v2');
    expect(docs.recall('a')).toEqual({ known: true, doc: 'v2' });
  });

  it('does not know a forgotten document, nor one pushed out by newer ones', () => {
    const docs = createWrittenDocuments<string>(2);
    docs.remember('a', 'v1');
    docs.forget('a');
    docs.remember('b', 'v1');
    docs.remember('c', 'v1');
    docs.remember('d', 'v1');
    expect(docs.recall('a')).toEqual({ known: false });
    expect(docs.recall('b')).toEqual({ known: false });
    expect(docs.recall('d')).toEqual({ known: true, doc: 'v1' });
  });

  it('does not know a document whose write may have happened', () => {
    const docs = createWrittenDocuments<string>(10);
    docs.forget('a');
    expect(docs.recall('a')).toEqual({ known: false });
  });
});
