import { fileNameFromContentDisposition } from './contentDisposition';

describe('fileNameFromContentDisposition', () => {
  it.each([
    ['attachment; filename="copilot-usage_acme.csv"', 'copilot-usage_acme.csv'],
    ['attachment; filename=copilot-usage_acme.csv', 'copilot-usage_acme.csv'],
    ['attachment; FILENAME="a \\"b\\".csv"', 'a "b".csv'],
    [
      `attachment; filename="J_rgen.csv"; filename*=UTF-8''J%C3%BCrgen.csv`,
      'Jürgen.csv',
    ],
    [`attachment; filename*=utf-8''a%20b.csv; filename="a b.csv"`, 'a b.csv'],
    // A charset other than UTF-8, or broken encoding: the plain name.
    [`attachment; filename="x.csv"; filename*=ISO-8859-1''%E9.csv`, 'x.csv'],
    [`attachment; filename="x.csv"; filename*=UTF-8''%E9.csv`, 'x.csv'],
    // A name, never a path.
    ['attachment; filename="../../etc/x.csv"', 'x.csv'],
    ['attachment; filename="C:\\\\temp\\\\x.csv"', 'x.csv'],
  ])('reads %s', (header, fileName) => {
    expect(fileNameFromContentDisposition(header)).toBe(fileName);
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['attachment'],
    ['attachment; filename=""'],
  ])('has no name in %p', header => {
    expect(fileNameFromContentDisposition(header)).toBeUndefined();
  });
});
