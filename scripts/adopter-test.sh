#!/usr/bin/env bash
# Plays an adopter with their own Backstage: creates a fresh app with @backstage/create-app,
# installs this repo's packages by the guide's pre-release step, applies exactly the marked steps of docs/install.md
# (adopter-test/apply-guide.mjs), points the app at the GitHub simulator, starts its backend
# and checks that a sync runs and the routes answer with permissions enforced.
# Slow (about 6 minutes: a full Backstage app install, two backend starts); npm registry only.
#
#   bash scripts/adopter-test.sh
#
# Environment: ADOPTER_TEST_DIR (work dir, default a new temp dir), ADOPTER_TEST_KEEP=1
# (keep it afterwards), ADOPTER_BACKEND_PORT (17007), ADOPTER_SIMULATOR_PORT (17010),
# ADOPTER_POLICY (policy-module | own-policy | both; default both: section 2 A and B of
# the guide, one backend start each).
# Prints a final `N passed, N failed` line.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
# This repo's release is Backstage 1.57 (backstage.json). The registry here has no
# create-app of 1.57 (its newest, 0.9.2, is 1.55's), so the test does what an adopter on
# an older app does: create-app 0.9.2, then `backstage-cli versions:bump` to 1.57 with
# the release manifest in scripts/ (BACKSTAGE_MANIFEST_FILE: the manifest service itself
# cannot be reached here).
CREATE_APP_VERSION=0.9.2
BACKSTAGE_RELEASE=1.57.0
RELEASE_MANIFEST="$REPO/scripts/backstage-release-manifest-$BACKSTAGE_RELEASE.json"
WORK="${ADOPTER_TEST_DIR:-$(mktemp -d /tmp/adopter-test.XXXXXX)}"
APP="$WORK/app"
BACKEND_PORT="${ADOPTER_BACKEND_PORT:-17007}"
SIMULATOR_PORT="${ADOPTER_SIMULATOR_PORT:-17010}"
CLAIM_PORT="${ADOPTER_CLAIM_PORT:-17011}"
BASE="http://127.0.0.1:$BACKEND_PORT"
POLICIES="${ADOPTER_POLICY:-both}"
[ "$POLICIES" = both ] && POLICIES="policy-module own-policy"

export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-$(npm config get registry 2>/dev/null | sed 's:/*$::')}"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
export YARN_ENABLE_TELEMETRY=0
# The fresh app has no lockfile yet; Yarn makes installs immutable when CI=true.
export YARN_ENABLE_IMMUTABLE_INSTALLS=false

start_time=$SECONDS
passed=0
failed=0
pids=()
phase() { echo; echo "== $1 (at $((SECONDS - start_time)) s)"; }
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
finish() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; done
  echo
  echo "adopter test took $((SECONDS - start_time)) s; work dir $WORK"
  if [ "${ADOPTER_TEST_KEEP:-}" != 1 ] && [ "$failed" -eq 0 ]; then rm -rf "$WORK"; fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}
abort() { fail "$1"; finish; }
trap 'abort "interrupted"' INT TERM

mkdir -p "$WORK/bin"

# --- yarn for the adopter -------------------------------------------------------------
# This repo's Yarn release, so nothing is downloaded.
cat > "$WORK/bin/yarn" <<EOF
#!/usr/bin/env bash
exec node "$REPO/.yarn/releases/yarn-4.13.0.cjs" "\$@"
EOF
chmod +x "$WORK/bin/yarn"
export PATH="$WORK/bin:$PATH"

# --- 2. a fresh app ---------------------------------------------------------------------
phase "create a fresh app with @backstage/create-app@$CREATE_APP_VERSION"
create_app() {
  # create-app refuses Node < 22 before doing anything; Backstage 1.57 itself runs on the
  # Node 20 these machines have, so tell its prerequisite check what it wants to hear.
  local node_options=""
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
    echo "Object.defineProperty(process.versions, 'node', { value: '22.0.0' });" > "$WORK/node22.cjs"
    node_options="-r $WORK/node22.cjs"
  fi
  (cd "$WORK" && BACKSTAGE_APP_NAME=adopter NODE_OPTIONS="$node_options" \
    npx -y "@backstage/create-app@$CREATE_APP_VERSION" --skip-install "$@")
}
create_app --path app > "$WORK/create-app.log" 2>&1 &&
  create_app --legacy --path legacy >> "$WORK/create-app.log" 2>&1 ||
  { tail -n 30 "$WORK/create-app.log"; abort "create-app"; }
# The legacy frontend system, as a second app package of the same workspace (one install).
cp -r "$WORK/legacy/packages/app" "$APP/packages/app-legacy"
node -e '
  const fs = require("fs"); const file = process.argv[1];
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.name = "app-legacy";
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");' "$APP/packages/app-legacy/package.json"

phase "bump the fresh app to Backstage $BACKSTAGE_RELEASE (backstage-cli versions:bump)"
(cd "$APP" && BACKSTAGE_MANIFEST_FILE="$RELEASE_MANIFEST" node "$REPO/node_modules/@backstage/cli/bin/backstage-cli" \
  versions:bump --skip-install --skip-migrate) > "$WORK/bump.log" 2>&1 ||
  { tail -n 30 "$WORK/bump.log"; abort "versions:bump of the fresh app"; }
if grep -q "not found in release manifest" "$WORK/bump.log"; then
  fail "versions:bump: packages missing from the manifest: $(grep -o 'Package [^ ]* not found' "$WORK/bump.log" | tr '\n' ' ')"
elif [ "$(node -p "require('$APP/backstage.json').version")" = "$BACKSTAGE_RELEASE" ]; then
  pass "the fresh app is on Backstage $BACKSTAGE_RELEASE (backstage.json, every @backstage/* dependency)"
else
  fail "versions:bump left backstage.json at $(cat "$APP/backstage.json")"
fi

# --- this repo's packages, by the guide's pre-release step --------------------------
phase "the guide's pre-release step: build and pack the packages in the clone, resolutions in the app"
(cd "$APP" && COPILOT_USAGE="$REPO" node "$REPO/adopter-test/apply-guide.mjs" \
  --guide "$REPO/docs/install.md" --app "$APP" --only-variant pre-release) > "$WORK/pack.log" 2>&1 ||
  { tail -n 30 "$WORK/pack.log"; abort "the guide's pre-release step"; }
packs="$APP/copilot-usage-packages"
ls "$packs"
for tarball in "$packs"/*.tgz; do
  contents=$(tar tzf "$tarball")
  missing=""
  # CHANGELOG.md comes with a package's first release (changesets); a new package has none yet.
  changelog=package/CHANGELOG.md
  case "$tarball" in *tech-insights-backend-module-copilot-usage-[0-9]*)
    [ -f "$REPO/plugins/tech-insights-backend-module-copilot-usage/CHANGELOG.md" ] || changelog="";;
  esac
  for f in package/dist/index.d.ts package/package.json $changelog; do
    grep -qx "$f" <<<"$contents" || missing="$missing $f"
  done
  case "$tarball" in *copilot-usage-backend-[0-9]*)
    grep -q '^package/migrations/.*\.js$' <<<"$contents" || missing="$missing migrations"
    grep -qx package/config.schema.json <<<"$contents" || missing="$missing config.schema.json";;
  esac
  if [ -z "$missing" ]; then pass "tarball $(basename "$tarball")"; else fail "tarball $(basename "$tarball") lacks$missing"; fi
done
node -e '
  const pkg = require(process.argv[1]);
  const names = Object.keys(pkg.resolutions ?? {}).filter(n => n.startsWith("@copilot-usage/"));
  process.exit(names.length === 6 ? 0 : 1);' "$APP/package.json" &&
  pass "the guide's pre-release step: six @copilot-usage resolutions in the app's package.json (one per packed package, the optional Tech Insights module among them)" ||
  fail "the guide's pre-release step left $(grep -c '@copilot-usage/' "$APP/package.json") resolutions"

# The registry here has gaps the repo pins with root resolutions (ENVIRONMENT.md); a fresh
# app needs the same pins (test-only: they are this machine's registry's, not the guide's).
node -e '
  const fs = require("fs");
  const [appPkg, repoPkg] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(appPkg, "utf8"));
  const resolutions = { ...JSON.parse(fs.readFileSync(repoPkg, "utf8")).resolutions };
  pkg.resolutions = { ...resolutions, ...pkg.resolutions };
  fs.writeFileSync(appPkg, JSON.stringify(pkg, null, 2) + "\n");' \
  "$APP/package.json" "$REPO/package.json"

phase "yarn install (fresh app)"
install_gaps="$REPO/../shared/tools/yarn-install-gaps"
if [ -x "$install_gaps" ]; then
  (cd "$APP" && "$install_gaps") > "$WORK/install.log" 2>&1
else
  (cd "$APP" && yarn install) > "$WORK/install.log" 2>&1
fi || { tail -n 30 "$WORK/install.log"; abort "yarn install of the fresh app"; }
(cd "$APP" && git add -A >/dev/null 2>&1 && git -c user.email=t@t -c user.name=t commit -qm "fresh app" >/dev/null 2>&1)

# --- 3. test-only setup: the simulated org, GitHub pointed at the simulator ------------
admin_token="adopter-test-$RANDOM$RANDOM$RANDOM"
mkdir -p "$APP/adopter-catalog"
(cd "$REPO" && node -r @backstage/cli/config/nodeTransform.cjs adopter-test/write-catalog.ts \
  "$APP/adopter-catalog/org.yaml" "$WORK/people.json") || abort "write the catalog"
user=$(node -p "require('$WORK/people.json').user")
member_team=$(node -p "require('$WORK/people.json').memberTeam")
outsider_team=$(node -p "require('$WORK/people.json').outsiderTeam")
org=$(node -p "require('$WORK/people.json').org")
# app-config.local.yaml: what differs between this test and a real deployment. The guide's
# own config goes to app-config.yaml (its merge-yaml step).
cat > "$APP/app-config.local.yaml" <<EOF
backend:
  baseUrl: $BASE
  listen: { port: $BACKEND_PORT }
  # the file server of the user who registers a Group claiming someone else's team
  reading:
    allow:
      - host: 127.0.0.1:$CLAIM_PORT
  auth:
    externalAccess:
      # plays an operator's script; service callers pass every permission check
      - type: static
        options: { token: $admin_token, subject: adopter-test-admin }
integrations:
  github:
    - host: github.com
      apiBaseUrl: http://127.0.0.1:$SIMULATOR_PORT
      token: simulator-token
auth:
  providers:
    # the guest signs in as this catalog User, with its Groups
    guest: { userEntityRef: 'user:default/$user' }
catalog:
  rules:
    - allow: [Component, System, API, Resource, Location, User, Group]
  locations:
    - type: file
      target: $APP/adopter-catalog/org.yaml
      rules:
        - allow: [User, Group]
copilotUsage:
  organizations: [$org]
  # The test waits for the first sync to finish: 28 days, not the year a real install takes.
  backfillDays: 28
  # This test's Groups come from a catalog file instead of the GitHub org provider:
  # the guide's trustedGroupOrigins step for such catalogs.
  trustedGroupOrigins: ['file:$APP/adopter-catalog/org.yaml']
  schedule:
    frequency: { hours: 6 }
    timeout: { minutes: 10 }
    initialDelay: { seconds: 2 }
  download:
    allowedHosts: ['127.0.0.1']
EOF

start_simulator() {
  (cd "$REPO" && SIMULATOR_PORT=$SIMULATOR_PORT exec setsid node -r @backstage/cli/config/nodeTransform.cjs \
    packages/github-simulator/src/main.ts) > "$WORK/simulator.log" 2>&1 &
  pids+=($!)
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -s -o /dev/null "http://127.0.0.1:$SIMULATOR_PORT/" && return 0
    sleep 1
  done
  echo "the GitHub simulator did not answer on 127.0.0.1:$SIMULATOR_PORT within 60 s"
  return 1
}

# --- 4. the guide -------------------------------------------------------------------------
http() { # http METHOD PATH [TOKEN] -> prints the status, body in $WORK/body
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$1" "${auth[@]}" "$BASE$2"
}
expect() { # expect NAME STATUS METHOD PATH [TOKEN]
  local name="$1" want="$2"; shift 2
  local got; got=$(http "$@")
  if [ "$got" = "$want" ]; then pass "$name ($want)"; else fail "$name: want $want, got $got $(head -c 300 "$WORK/body")"; fi
}

# Waits (bounded) for the catalog to hold the guest User with its team membership and the
# outsider team; prints nothing, returns non-zero when it gives up.
CATALOG_WAIT_SECONDS="${ADOPTER_CATALOG_WAIT_SECONDS:-180}"
wait_for_catalog() {
  local deadline=$((SECONDS + CATALOG_WAIT_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(http GET "/api/catalog/entities/by-name/group/default/$outsider_team" "$admin_token")" = 200 ] &&
      [ "$(http GET "/api/catalog/entities/by-name/user/default/$user" "$admin_token")" = 200 ] &&
      node -e '
        const user = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const ok = (user.relations || []).some(r => r.type === "memberOf" && r.targetRef === `group:default/${process.argv[2]}`);
        process.exit(ok ? 0 : 1);' "$WORK/body" "$member_team"; then
      return 0
    fi
    sleep 2
  done
  return 1
}

# The attack of a signed-in user who may register catalog locations (the shipped policy
# allows it): a Group of their own that claims $outsider_team and lists them as a member.
# Its Copilot usage must stay closed to them; the Group itself may well be in the catalog.
claim_team() {
  local policy="$1" guest="$2" claim="claim-$outsider_team-${1//[^a-z]/}"
  mkdir -p "$WORK/claims"
  cat > "$WORK/claims/$claim.yaml" <<YAML
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: $claim
  annotations:
    github.com/team-slug: $org/$outsider_team
spec:
  type: team
  children: []
  members: [$user]
YAML
  local status
  status=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $guest" \
    -H 'Content-Type: application/json' \
    -d "{\"type\":\"url\",\"target\":\"http://127.0.0.1:$CLAIM_PORT/$claim.yaml\"}" \
    "$BASE/api/catalog/locations")
  if [ "$status" != 201 ]; then
    fail "member: registering a location (allowed by the policy) answered $status: $(head -c 300 "$WORK/body") ($policy)"
    return
  fi
  pass "member: registered a location with Group $claim claiming $org/$outsider_team ($policy)"
  local deadline=$((SECONDS + CATALOG_WAIT_SECONDS)) claimed=false
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(http GET "/api/catalog/entities/by-name/user/default/$user" "$admin_token")" = 200 ] && node -e '
        const user = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        process.exit((user.relations || []).some(r => r.type === "memberOf" && r.targetRef === `group:default/${process.argv[2]}`) ? 0 : 1);' \
        "$WORK/body" "$claim"; then
      claimed=true; break
    fi
    sleep 2
  done
  if ! $claimed; then
    fail "catalog: user:default/$user not a member of group:default/$claim after ${CATALOG_WAIT_SECONDS} s ($policy)"
    return
  fi
  # A fresh sign-in carries the new membership.
  local token
  curl -s -H 'X-Requested-With: XMLHttpRequest' "$BASE/api/auth/guest/refresh" > "$WORK/refresh.json"
  token=$(node -pe 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).backstageIdentity.token' "$WORK/refresh.json" 2>/dev/null)
  node -e '
    const { identity } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).backstageIdentity;
    process.exit(identity.ownershipEntityRefs.includes(`group:default/${process.argv[2]}`) ? 0 : 1);' "$WORK/refresh.json" "$claim" &&
    pass "member: the new sign-in claims group:default/$claim ($policy)" ||
    fail "member: the new sign-in lacks group:default/$claim: $(head -c 300 "$WORK/refresh.json") ($policy)"
  expect "member of a self-made Group: GET /teams/default/$claim/metrics ($policy)" 403 GET "/api/copilot-usage/teams/default/$claim/metrics" "$token"
  expect "member of a self-made Group: GET /teams/default/$outsider_team/metrics ($policy)" 403 GET "/api/copilot-usage/teams/default/$outsider_team/metrics" "$token"
  http GET /api/copilot-usage/teams "$token" >/dev/null
  node -e '
    const teams = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).items.map(t => t.entityRef);
    process.exit(teams.includes(`group:default/${process.argv[2]}`) || !teams.includes(`group:default/${process.argv[3]}`) ? 1 : 0);' \
    "$WORK/body" "$claim" "$member_team" &&
    pass "member: /teams lists $member_team and not the self-made $claim ($policy)" ||
    fail "member: /teams after the claim: $(head -c 300 "$WORK/body") ($policy)"
}

# The guide's optional step 9: the actions over MCP, with the MCP SDK's client.
mcp_session() {
  local policy="$1" guest="$2" line
  node "$REPO/adopter-test/mcp-session.cjs" "$BASE" "$guest" "$admin_token" "$member_team" "$outsider_team" \
    > "$WORK/mcp-$policy.log" 2>&1
  while IFS= read -r line; do
    case "$line" in
      "ok "*) pass "${line#ok } ($policy)" ;;
      "not ok "*) fail "${line#not ok } ($policy)" ;;
    esac
  done < "$WORK/mcp-$policy.log"
  grep -q '^ok ' "$WORK/mcp-$policy.log" || fail "MCP session ($policy): $(tail -c 400 "$WORK/mcp-$policy.log")"
}

run_variant() {
  local policy="$1" variants=(--variant "$policy")
  phase "guide steps for policy variant '$policy' (and both frontend systems)"
  # Every variant starts from the fresh, installed app.
  (cd "$APP" && git checkout -q -- . && git clean -qfd -e adopter-catalog -e app-config.local.yaml -e node_modules)
  [ "$policy" = policy-module ] && variants+=(--variant legacy)
  if node "$REPO/adopter-test/apply-guide.mjs" --guide "$REPO/docs/install.md" --app "$APP" \
    "${variants[@]}" --legacy-app packages/app-legacy > "$WORK/guide-$policy.log" 2>&1; then
    pass "guide steps applied ($policy)"
  else
    tail -n 30 "$WORK/guide-$policy.log"; fail "guide steps ($policy)"; return
  fi
  grep '^=== guide step' "$WORK/guide-$policy.log"

  phase "type check of the app ($policy)"
  if (cd "$APP" && yarn tsc --noEmit) > "$WORK/app-tsc-$policy.log" 2>&1; then
    pass "app type check: backend index.ts$([ "$policy" = policy-module ] && echo ", legacy App.tsx, EntityPage.tsx, Root.tsx") compile"
  else
    tail -n 30 "$WORK/app-tsc-$policy.log"; fail "app type check ($policy)"
  fi

  if [ "$policy" = policy-module ]; then
    phase "config schema"
    # --strict: without it config:check does not report values of the wrong type.
    if (cd "$APP" && GITHUB_TOKEN=x yarn backstage-cli config:check --strict) > "$WORK/config-check.log" 2>&1; then
      pass "config:check accepts the guide's config"
    else
      tail -n 20 "$WORK/config-check.log"; fail "config:check"
    fi
    printf 'copilotUsage:\n  minTeamSize: five\n' > "$APP/app-config.bad.yaml"
    if (cd "$APP" && GITHUB_TOKEN=x yarn backstage-cli config:check --strict --config app-config.yaml --config app-config.bad.yaml) > "$WORK/config-check-bad.log" 2>&1; then
      fail "config:check accepted copilotUsage.minTeamSize: five"
    else
      grep -q minTeamSize "$WORK/config-check-bad.log" && pass "config:check rejects a wrong copilotUsage key type" ||
        { tail -n 10 "$WORK/config-check-bad.log"; fail "config:check failed without naming minTeamSize"; }
    fi
    rm -f "$APP/app-config.bad.yaml"
    if (cd "$APP" && GITHUB_TOKEN=x yarn backstage-cli config:print --frontend --lax) > "$WORK/config-frontend.log" 2>&1 &&
      ! grep -qiE 'copilotUsage|simulator-token|adopter-test-' "$WORK/config-frontend.log"; then
      pass "no copilotUsage key and no token in the frontend config"
    else
      fail "frontend config: $(grep -iE 'copilotUsage|token' "$WORK/config-frontend.log" | head -3)"
    fi
    node -e '
      const pkg = require(require.resolve("@copilot-usage/backstage-plugin-copilot-usage/package.json", { paths: [process.argv[1]] }));
      if (pkg.backstage.role !== "frontend-plugin" || !pkg.exports["./alpha"]) process.exit(1);' \
      "$APP/packages/app" && pass "frontend package in packages/app offers ./alpha for feature discovery" ||
      fail "frontend package lacks ./alpha or its role"
  fi

  phase "start the backend ($policy)"
  if curl -s -o /dev/null "$BASE/api/copilot-usage/health"; then
    fail "backend ($policy): something already answers on $BASE"; return
  fi
  (cd "$APP" && GITHUB_TOKEN=simulator-token exec setsid yarn workspace backend start) > "$WORK/backend-$policy.log" 2>&1 &
  local backend_pid=$!
  pids+=($backend_pid)
  local up=false deadline=$((SECONDS + 240))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ "$(http GET /api/copilot-usage/health)" = 200 ] && { up=true; break; }
    kill -0 "$backend_pid" 2>/dev/null || break
    sleep 1
  done
  if ! $up; then
    tail -n 40 "$WORK/backend-$policy.log"
    fail "backend up ($policy): GET /api/copilot-usage/health did not answer 200 within 240 s$(kill -0 "$backend_pid" 2>/dev/null || echo ', the backend exited')"
    return
  fi
  pass "GET /api/copilot-usage/health answers 200 without a token ($policy)"


  # A sync runs on its own (schedule.initialDelay) and finishes.
  local synced=false
  deadline=$((SECONDS + 360))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(http GET /api/copilot-usage/status "$admin_token")" = 200 ] && node -e '
      const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const scope = s.scopes.find(x => x.scope === `org:${process.argv[2]}`);
      process.exit(scope && scope.lastRunFinishedAt && !scope.running && scope.daysWithData > 0 ? 0 : 1);' "$WORK/body" "$org"; then
      synced=true; break
    fi
    sleep 2
  done
  if $synced; then
    pass "a sync of org:$org ran: $(node -p 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).scopes[0]; `${s.daysWithData} days with data, ${s.daysMissing} missing`' "$WORK/body") ($policy)"
  else
    fail "no finished sync of org:$org with data in /status within 360 s ($policy): $(head -c 300 "$WORK/body")"
  fi
  grep -q "Copilot usage sync org:$org finished" "$WORK/backend-$policy.log" &&
    pass "the first sync's log lines are there ($policy)" || fail "no 'Copilot usage sync org:$org finished' log line ($policy)"

  # The guest provider signs in as a catalog User who is a member of $member_team, with the
  # Group memberships the catalog holds at that moment: wait until the catalog has processed
  # the org file (User, its memberOf relation, both teams), as an adopter's check would.
  if wait_for_catalog; then
    pass "catalog holds user:default/$user, a member of group:default/$member_team ($policy)"
  else
    # A plugin that fails to start leaves the backend half up: routes answer, the catalog never processes.
    fail "catalog: no user:default/$user with memberOf group:default/$member_team and no group:default/$outsider_team after ${CATALOG_WAIT_SECONDS} s ($policy): $(head -c 300 "$WORK/body") $(grep -A1 'Backend startup failed' "$WORK/backend-$policy.log" | head -c 400)"
    return
  fi
  local guest
  guest=$(curl -s -H 'X-Requested-With: XMLHttpRequest' "$BASE/api/auth/guest/refresh" |
    node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).backstageIdentity.token' 2>/dev/null)
  if [ -z "$guest" ] || [ "$guest" = undefined ]; then fail "guest sign-in ($policy)"; return; fi
  expect "no token: GET /teams ($policy)" 401 GET /api/copilot-usage/teams
  expect "member: GET /teams ($policy)" 200 GET /api/copilot-usage/teams "$guest"
  node -e '
    const body = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const teams = body.items.map(t => t.entityRef);
    const member = teams.includes(`group:default/${process.argv[2]}`);
    const outsider = teams.includes(`group:default/${process.argv[3]}`);
    process.exit(member && !outsider ? 0 : 1);' "$WORK/body" "$member_team" "$outsider_team" &&
    pass "member: /teams lists $member_team, not $outsider_team ($policy)" ||
    fail "member: /teams should list $member_team and not $outsider_team: $(head -c 300 "$WORK/body")"
  expect "member: GET /teams/default/$member_team/metrics ($policy)" 200 GET "/api/copilot-usage/teams/default/$member_team/metrics" "$guest"
  node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    process.exit(JSON.stringify(m).length > 200 ? 0 : 1);' "$WORK/body" &&
    pass "member: $member_team metrics have data ($policy)" || fail "member: $member_team metrics empty: $(head -c 300 "$WORK/body")"
  expect "non-member: GET /teams/default/$outsider_team/metrics ($policy)" 403 GET "/api/copilot-usage/teams/default/$outsider_team/metrics" "$guest"
  expect "non-admin: GET /status ($policy)" 403 GET /api/copilot-usage/status "$guest"
  expect "non-admin: GET /orgs/$org/teams ($policy)" 403 GET "/api/copilot-usage/orgs/$org/teams" "$guest"
  expect "non-admin: GET /orgs/$org/metrics ($policy)" 403 GET "/api/copilot-usage/orgs/$org/metrics" "$guest"
  expect "admin: GET /orgs/$org/metrics ($policy)" 200 GET "/api/copilot-usage/orgs/$org/metrics" "$admin_token"
  expect "admin: GET /orgs/$org/teams ($policy)" 200 GET "/api/copilot-usage/orgs/$org/teams" "$admin_token"
  # allow-all is gone: the catalog still answers (the policy allows what is not Copilot usage)
  expect "member: catalog still readable ($policy)" 200 GET "/api/catalog/entities/by-name/group/default/$member_team" "$guest"

  mcp_session "$policy" "$guest"
  claim_team "$policy" "$guest"

  stop_backend "$backend_pid" "$policy"
}

# SIGTERM, then (bounded) wait until the port is free; SIGKILL if it is not.
stop_backend() {
  local pid="$1" policy="$2" deadline=$((SECONDS + 60))
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null
  while [ "$SECONDS" -lt "$deadline" ] && curl -s -o /dev/null "$BASE/api/copilot-usage/health"; do sleep 1; done
  if curl -s -o /dev/null "$BASE/api/copilot-usage/health"; then
    echo "the backend ($policy) still answered 60 s after SIGTERM; killing it"
    kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null
    sleep 2
  fi
  wait "$pid" 2>/dev/null
}

phase "start the GitHub simulator"
start_simulator || { tail -n 20 "$WORK/simulator.log"; abort "GitHub simulator"; }
mkdir -p "$WORK/claims"
(cd "$WORK/claims" && exec setsid python3 -m http.server "$CLAIM_PORT" --bind 127.0.0.1) > "$WORK/claims.log" 2>&1 &
pids+=($!)
for policy in $POLICIES; do
  run_variant "$policy"
done
finish
