/** Matching order and rules, on the small fixture catalogue (test/fixtures/catalog), independent of catalog/ data. */
import { describe, expect, it } from 'vitest';
import { fixtureClassifier } from './helpers.js';

const c = fixtureClassifier();
const pick = (input: string, hint?: string) => {
  const r = c.classify(input, hint === undefined ? undefined : { statusCode: hint });
  return {
    entry: r.entry,
    code: r.code,
    reply: r.reply,
    class: r.class,
    reason: r.reason,
    by: r.matched_by,
    exact: r.exact,
  };
};

describe('classify: matching order', () => {
  it('takes the default meaning of a bare code', () => {
    expect(pick('5.7.1')).toMatchObject({ entry: 'exo.5.7.1', by: 'exact_code', exact: true, class: 'permanent' });
  });
  it('chooses the phrase-confirmed meaning among entries sharing a code', () => {
    expect(pick('550 5.7.1 Unable to relay')).toMatchObject({
      entry: 'exo.5.7.1.unable_to_relay',
      by: 'code_and_phrase',
    });
    expect(pick('530 5.7.1 Client was not authenticated')).toMatchObject({
      entry: 'exo.5.7.1.client_not_authenticated',
      reply: '530',
    });
  });
  it('never picks a requires_phrase entry without its phrase', () => {
    expect(pick('550 5.2.2 something else entirely').entry).toBe('exo.5.2.2');
    expect(pick('554 5.2.2 mailbox full').entry).toBe('exo.5.2.2.mailbox_full');
  });
  it('matches codes inside ranges, and the range entry by phrase', () => {
    expect(pick('550 5.7.630 Access denied')).toMatchObject({ entry: 'exo.5.7.606-649', by: 'range' });
    expect(pick('550 5.7.606 banned sending IP')).toMatchObject({ entry: 'exo.5.7.606-649', by: 'code_and_phrase' });
    expect(pick('550 5.7.650 Access denied').entry).not.toBe('exo.5.7.606-649');
  });
  it('prefers an exact code over a range that contains it', () => {
    expect(pick('550 5.7.708 Access denied').entry).toBe('exo.5.7.708');
    expect(pick('550 5.7.705 Access denied').entry).toBe('exo.5.7.700-749');
  });
  it('lets a code-less entry found by its phrase beat a bare default of the same class', () => {
    expect(
      pick("550 5.2.2 The message can't be submitted because the sender's submission quota was exceeded"),
    ).toMatchObject({
      entry: 'exo.submission_quota_exceeded',
      by: 'phrase',
      code: '5.2.2',
    });
  });
  it('does not let a phrase of the wrong class override the code', () => {
    // "message expired" belongs to a transient entry; the code is permanent and unknown → class fallback.
    expect(pick('550 5.9.9 message expired')).toMatchObject({
      entry: 'rfc3463.x.0.0',
      by: 'class_fallback',
      class: 'permanent',
    });
  });
  it('lets a phrase beat a generic X.s.0 meaning', () => {
    expect(pick('550 5.7.0 Relay access denied')).toMatchObject({
      entry: 'exo.5.7.1.unable_to_relay',
      by: 'phrase',
      code: '5.7.0',
    });
    expect(pick('550 5.7.0 nothing useful')).toMatchObject({ entry: 'rfc3463.x.7.0', by: 'exact_code' });
  });
  it('falls back X.s.d → X.s.0 → X.0.0, flagged inexact, class from the observed digit', () => {
    expect(pick('451 4.1.1 try later')).toMatchObject({
      entry: 'rfc3463.x.1.1',
      by: 'exact_code',
      class: 'transient',
      exact: true,
    });
    expect(pick('550 5.1.77 odd')).toMatchObject({ entry: 'rfc3463.x.1.0', by: 'class_fallback', exact: false });
    expect(pick('550 5.5.77 odd')).toMatchObject({ entry: 'rfc3463.x.0.0', by: 'class_fallback', exact: false });
  });
  it('falls back to the RFC 5321 reply when there is no enhanced code', () => {
    expect(pick('550 Requested action not taken')).toMatchObject({
      entry: 'rfc5321.550',
      by: 'reply_fallback',
      exact: false,
      code: null,
    });
    expect(pick('559 odd reply')).toMatchObject({ entry: 'rfc3463.x.0.0', by: 'class_fallback', class: 'permanent' });
  });
  it('matches text without any code by phrase, English and Norwegian', () => {
    expect(pick('Recipient not found by SMTP address lookup')).toMatchObject({
      entry: 'exo.5.1.10',
      by: 'phrase',
      code: null,
    });
    expect(pick('Tilkobling nektes fra serveren')).toMatchObject({ entry: 'exo.4.4.316', class: 'transient' });
  });
  it('reports success codes as delivered even through class-independent RFC entries', () => {
    expect(pick('250 2.1.5 OK')).toMatchObject({ class: 'success', reason: 'delivered' });
    expect(c.classify('250 2.0.0 OK').reason).toBe('delivered');
  });
  it('returns an explicit unclassified result', () => {
    expect(c.classify('hello world')).toMatchObject({
      entry: null,
      class: 'unknown',
      reason: 'other',
      category: 'other',
      matched_by: 'none',
      exact: false,
    });
  });
});

describe('classify: several codes in one text', () => {
  it('prefers the remote reply over the DSN Status field', () => {
    expect(pick('Status: 5.0.0\nDiagnostic-Code: smtp; 550 5.1.1 <x@example.org>... User unknown').code).toBe('5.1.1');
  });
  it('prefers the code inside "Remote server returned \'…\'" and after "->"', () => {
    expect(pick("5.4.0 Remote server returned '550 5.1.1 not found'").code).toBe('5.1.1');
    expect(pick('550 5.1.10 wrapper -> 554 5.2.2 mailbox full')).toMatchObject({ code: '5.2.2', reply: '554' });
  });
  it('keeps a permanent wrapper over a transient inner reply (final verdict)', () => {
    expect(pick('550 5.4.7 Message expired -> 451 4.4.0 DNS query failed')).toMatchObject({
      code: '5.4.7',
      class: 'permanent',
    });
  });
  it('uses another code of the text when its entry is confirmed by a phrase and the chosen one is only a default', () => {
    expect(pick('550 5.7.509 does not pass DMARC verification -> 550 5.1.10 wrapper')).toMatchObject({
      entry: 'exo.5.7.509',
      by: 'code_and_phrase',
    });
  });
});

describe('classify: reply and enhanced class disagreeing', () => {
  it('takes the class from the basic reply and marks the result inexact', () => {
    expect(pick('550 4.4.7 QUEUE.Expired; message expired')).toMatchObject({
      entry: 'exo.4.4.7',
      code: '4.4.7',
      class: 'permanent',
      exact: false,
    });
  });
  it('looks the code up with the reply class when the written class has no entry', () => {
    expect(pick('550 4.1.10 not found')).toMatchObject({ entry: 'exo.5.1.10', class: 'permanent', exact: false });
  });
  it('leaves agreeing pairs exact', () => {
    expect(pick('450 4.4.7 message expired')).toMatchObject({ class: 'transient', exact: true });
  });
});

describe('classify: hints', () => {
  it('uses the statusCode hint when the text has no code', () => {
    expect(pick('Access denied, sending domain does not pass DMARC verification', '550 5.7.509')).toMatchObject({
      entry: 'exo.5.7.509',
      code: '5.7.509',
      reply: '550',
    });
  });
  it('prefers a code inside the remote reply over the hint', () => {
    expect(pick("Remote Server returned '550 5.1.1 bad'", '5.0.0').code).toBe('5.1.1');
  });
  it('prefers the hint over a bare code in prose', () => {
    expect(pick('see 5.1.1 in the docs', '5.7.509').code).toBe('5.7.509');
  });
});

describe('classify: garbled codes (seed 000)', () => {
  it.each([
    ['iv.7.321 starttls-not-supported', '4.7.321'],
    ['four.seven.325 certificate-host-mismatch', '4.7.325'],
    ['5.one.10 Recipient not institute', '5.1.10'],
    ['5.1.ane Bad destination mailbox address', '5.1.1'],
    ['v.1.x Recipient not found', '5.1.10'],
    ['5.4.half-dozen Routing loop detected', '5.4.6'],
    ['5.four.xiv Routing loop', '5.4.14'],
    ['432 iv.3.2 STOREDRV.Evangelize', '4.3.2'],
  ])('%s → %s', (input, code) => {
    expect(c.classify(input).code).toBe(code);
  });
  it('keeps the reply of a garbled code', () => {
    expect(pick('432 iv.3.2 STOREDRV.Evangelize').reply).toBe('432');
  });
  it('ignores word triples that are not codes', () => {
    expect(c.classify('one.two.three and x.y.z and i.e. e.g.').code).toBeNull();
    expect(c.classify('3.vi.ii nope').code).toBeNull();
    expect(c.classify('a five.ten.ten code indicates a permanent error').code).toBeNull();
  });
});
