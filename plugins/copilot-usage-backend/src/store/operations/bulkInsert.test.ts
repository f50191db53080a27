import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { bulkInsert } from './bulkInsert';

jest.setTimeout(60_000);

const awkward = [
  'plain',
  'quote " and \\ backslash',
  "single ' quote",
  '{braces}, commas, NULL',
  'ünïcødé ✓',
  '',
  'NULL',
];

function records(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: i,
    big: 9_000_000_000_000 + i,
    label: awkward[i % awkward.length],
    flag: i % 2 === 0,
    amount: i % 3 === 0 ? null : i / 4,
    blob: Buffer.from([i % 256, 0, 255]),
  }));
}

describe('bulkInsert', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function create(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    for (const table of ['fast', 'slow']) {
      await knex.schema.createTable(table, t => {
        t.integer('id').primary();
        t.bigInteger('big').notNullable();
        t.string('label', 64).notNullable();
        t.boolean('flag').notNullable();
        t.double('amount').nullable();
        t.binary('blob').notNullable();
      });
    }
    return knex;
  }

  const read = async (knex: Knex, table: string) =>
    (await knex(table).orderBy('id')).map(row => ({
      ...row,
      big: Number(row.big),
      flag: Boolean(row.flag),
      blob: Buffer.from(row.blob).toString('hex'),
    }));

  it.each(databases.eachSupportedId())(
    'stores in a transaction what the Knex insert stores, over several batches, on %p',
    async databaseId => {
      const knex = await create(databaseId);
      const rows = records(5_003);
      const fallback = jest.fn(async (all: object[]) => {
        await knex.batchInsert('slow', all, 100);
      });
      await knex.transaction(trx => bulkInsert(trx, 'fast', rows, fallback));
      // The fast path served the transaction.
      expect(fallback).not.toHaveBeenCalled();
      await bulkInsert(knex, 'slow', rows, fallback);
      // Outside a transaction, the fallback.
      expect(fallback).toHaveBeenCalledTimes(1);

      const fast = await read(knex, 'fast');
      expect(fast).toHaveLength(rows.length);
      expect(fast).toEqual(await read(knex, 'slow'));
      expect(fast.slice(0, awkward.length).map(row => row.label)).toEqual(
        awkward,
      );
      expect(fast[1]).toMatchObject({ flag: false, amount: 0.25 });
    },
  );

  it.each(databases.eachSupportedId())(
    'writes nothing when the transaction rolls back, on %p',
    async databaseId => {
      const knex = await create(databaseId);
      await expect(
        knex.transaction(async trx => {
          await bulkInsert(trx, 'fast', records(10), async () => {});
          throw new Error('the day failed');
        }),
      ).rejects.toThrow('the day failed');
      expect(await knex('fast')).toEqual([]);
    },
  );
  it.each(databases.eachSupportedId())(
    'keeps the characters that PostgreSQL COPY escapes, on %p',
    async databaseId => {
      const knex = await create(databaseId);
      const labels = [
        'tab\there',
        'line\nbreak',
        'carriage\rreturn\r\n',
        '\\N',
        'back\\slash\\n \\t \\\\',
        '\t\n',
      ];
      const rows = records(labels.length).map((row, i) => ({
        ...row,
        label: labels[i],
      }));
      await knex.transaction(trx =>
        bulkInsert(trx, 'fast', rows, async () => {}),
      );
      expect((await read(knex, 'fast')).map(row => row.label)).toEqual(labels);
    },
  );

  it.each(databases.eachSupportedId())(
    'fails the transaction on a duplicate key and keeps nothing, on %p',
    async databaseId => {
      const knex = await create(databaseId);
      const rows = [...records(3), records(1)[0]];
      // Not toThrow(): better-sqlite3's SqliteError may come from another realm than the test's Error.
      await expect(
        knex.transaction(trx => bulkInsert(trx, 'fast', rows, async () => {})),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/UNIQUE constraint|duplicate key/),
      });
      expect(await knex('fast')).toEqual([]);
    },
  );
});
