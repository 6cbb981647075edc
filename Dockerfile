# syntax=docker/dockerfile:1
# aiops: one stateless process; all state is in DynamoDB (see README "Run in production").

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# production dependencies only: the TypeScript sources run through tsx, a runtime dependency
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    AIOPS_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY examples ./examples
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# without a terminal `start` runs the HTTP server (Slack, Teams, webhooks, health, metrics)
CMD ["node", "bin/aiops.js", "start"]
