# Clout's production image: `npm start` (server, workers, schedules) by
# default; docker-compose.yml also runs it as `npm run worker`.
#
#   docker build -t clout .
#   docker build --build-arg WITH_CHROMIUM=true -t clout .   # WhatsApp Web transport
FROM node:20-bookworm-slim

# whatsapp-web.js's puppeteer must never download its own browser; with
# WITH_CHROMIUM=true it gets Debian's, at /usr/bin/chromium, like on a dev box.
ENV PUPPETEER_SKIP_DOWNLOAD=1
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = true ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends chromium fonts-liberation \
      && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, so a code change does not reinstall them. tsx runs the
# TypeScript and the prisma CLI generates the client, so dev dependencies are
# needed too (no --omit=dev). Install scripts are skipped: the only ones in the
# tree download Prisma engines the driver-adapter client never uses, and
# check binaries that ship in their own packages anyway.
COPY --chown=node:node package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm ci --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The Prisma client depends only on the schema; generate it before copying
# the rest of the source for the same caching reason.
COPY --chown=node:node prisma.config.ts ./
COPY --chown=node:node db/schema.prisma db/
COPY --chown=node:node scripts/generate scripts/
RUN scripts/generate

COPY --chown=node:node . .
# Writable place for the embedded database (when DATABASE_URL is unset) and
# other local state.
RUN mkdir -p .data

ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["npm", "start"]
