import { describe, expect, it } from 'vitest';
import { reasonColumns, reasonFromColumns } from '../../../../../main/core/archive/reason-columns';
import { sendFailure, untranslated } from '../../../../../shared/domain/failure-reason';
import { detail } from '../../../../../shared/domain/localized-text';

describe('a message’s reason in the archive’s columns', () => {
  it('keeps a send reason’s text, key and variables, and reads them back unchanged', () => {
    const reason = sendFailure('Instagram refused the request (error 98765).', 'refusedCode', {
      code: 98765,
      metaWords: 'Try another way',
    });
    const columns = reasonColumns(reason);
    expect(columns).toEqual({
      error: 'Instagram refused the request (error 98765).',
      error_key: 'refusedCode',
      error_vars: '{"code":98765,"metaWords":"Try another way"}',
    });
    expect(reasonFromColumns(columns)).toEqual(reason);
  });

  it('stores only the text of a reason without a send key (its own words, another catalogue)', () => {
    expect(reasonColumns(untranslated('The tunnel failed: boom'))).toEqual({
      error: 'The tunnel failed: boom',
      error_key: null,
      error_vars: null,
    });
    expect(
      reasonColumns({ text: 'Inlet is starting.', detail: detail('coreStarting') }),
    ).toMatchObject({ error_key: null });
  });

  it('no reason is three empty columns, and three empty columns are no reason', () => {
    const none = { error: null, error_key: null, error_vars: null };
    expect(reasonColumns(null)).toEqual(none);
    expect(reasonFromColumns(none)).toBeNull();
  });

  it('a row written before keys existed, or by a newer Inlet, falls back to its English text', () => {
    expect(reasonFromColumns({ error: 'Old words', error_key: null, error_vars: null })).toEqual(
      untranslated('Old words'),
    );
    expect(
      reasonFromColumns({ error: 'New words', error_key: 'fromANewerInlet', error_vars: null }),
    ).toEqual(untranslated('New words'));
  });

  it('unreadable variables keep the key, without variables', () => {
    expect(
      reasonFromColumns({ error: 'Not sent.', error_key: 'refusedHttp', error_vars: '{' }),
    ).toEqual(sendFailure('Not sent.', 'refusedHttp'));
  });
});
