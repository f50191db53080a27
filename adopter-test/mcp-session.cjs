// An MCP session against a running backend, with the MCP SDK's client: the tools it
// lists, a member reading their team, refused another team and the sync status, and a
// token with every permission reading the status. Prints `ok <what>` / `not ok <what>`
// lines (scripts/adopter-test.sh counts them) and the session as it went.
//
//   node adopter-test/mcp-session.cjs BASE_URL MEMBER_TOKEN ADMIN_TOKEN MEMBER_TEAM OUTSIDER_TEAM
const { join } = require('node:path');

// The SDK is a test dependency of the backend plugin in this repository.
const from = {
  paths: [join(__dirname, '..', 'plugins', 'copilot-usage-backend')],
};
const { Client } = require(
  require.resolve('@modelcontextprotocol/sdk/client/index.js', from),
);
const { StreamableHTTPClientTransport } = require(
  require.resolve('@modelcontextprotocol/sdk/client/streamableHttp.js', from),
);

const [base, memberToken, adminToken, memberTeam, outsiderTeam] =
  process.argv.slice(2);
let failures = 0;
const check = (ok, what) => {
  if (!ok) failures += 1;
  console.log(`${ok ? 'ok' : 'not ok'} ${what}`);
};

async function connect(token) {
  const client = new Client({
    name: 'copilot-usage-adopter-test',
    version: '1.0.0',
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/api/mcp-actions/v1`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

async function call(client, who, name, args) {
  const result = await client.callTool({
    name: `copilot-usage.${name}`,
    arguments: args,
  });
  const text = result.content[0].text;
  console.log(
    `# ${who}: ${name} ${JSON.stringify(args)} -> ${result.isError ? 'error' : 'ok'}`,
  );
  console.log(
    `#   ${result.isError ? text : (JSON.parse(text).summary ?? text.slice(0, 200))}`,
  );
  return { isError: Boolean(result.isError), text };
}

(async () => {
  const member = await connect(memberToken);
  const { tools } = await member.listTools();
  const names = tools
    .map(t => t.name)
    .filter(n => n.startsWith('copilot-usage.'))
    .sort();
  console.log(`# tools: ${names.join(', ')}`);
  check(
    names.join() ===
      [
        'copilot-usage.get-copilot-org-usage',
        'copilot-usage.get-copilot-sync-status',
        'copilot-usage.get-copilot-team-usage',
        'copilot-usage.list-copilot-teams',
      ].join() &&
      tools.every(
        t => !t.name.startsWith('copilot-usage.') || t.annotations.readOnlyHint,
      ),
    'MCP: the four read-only copilot-usage tools are listed',
  );
  const teams = JSON.parse(
    (await call(member, 'member', 'list-copilot-teams', {})).text,
  ).teams;
  const refs = teams.map(t => t.entityRef);
  check(
    refs.includes(`group:default/${memberTeam}`) &&
      !refs.includes(`group:default/${outsiderTeam}`),
    `MCP: member lists ${memberTeam}, not ${outsiderTeam}`,
  );
  const own = await call(member, 'member', 'get-copilot-team-usage', {
    team: memberTeam,
  });
  check(
    !own.isError && JSON.parse(own.text).coverage.daysWithData > 0,
    `MCP: member reads ${memberTeam}'s usage`,
  );
  const other = await call(member, 'member', 'get-copilot-team-usage', {
    team: outsiderTeam,
  });
  check(
    other.isError && /^NotAllowedError/.test(other.text),
    `MCP: member is refused ${outsiderTeam}`,
  );
  const status = await call(member, 'member', 'get-copilot-sync-status', {});
  check(
    status.isError && /^NotAllowedError/.test(status.text),
    'MCP: member is refused the sync status',
  );
  const admin = await connect(adminToken);
  const adminStatus = await call(
    admin,
    'admin token',
    'get-copilot-sync-status',
    {},
  );
  check(
    !adminStatus.isError && JSON.parse(adminStatus.text).scopes.length > 0,
    'MCP: the admin token reads the sync status',
  );
  await Promise.all([member.close(), admin.close()]);
})()
  .catch(error => check(false, `MCP session: ${error.message}`))
  .finally(() => process.exit(failures ? 1 : 0));
