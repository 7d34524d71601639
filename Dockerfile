# Build: compile TypeScript and the native better-sqlite3 addon (for Node 24's ABI), then drop dev dependencies.
# Runs on Node 24; package.json engines stays ">=20.19" (CI runs the tests on both).
# Pinned to 24.18: better-sqlite3 12.x compiled with Node >= 24.19 headers can abort the process when
# a statement is garbage-collected ("Assertion failed: (env) != nullptr", Statement::~Statement);
# the check after npm ci refuses such a build. better-sqlite3 13 fixes it but needs Node >= 22.
FROM node:24.18.1-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci \
 && ! nm -D node_modules/better-sqlite3/build/Release/better_sqlite3.node | grep -q RemoveEnvironmentCleanupHook
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY projections ./projections
RUN npm run build && npm prune --omit=dev

# Run: only what the service needs, as an unprivileged user.
FROM node:24.18.1-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
