# Multi-stage image for Marquee: the web server and the worker share it.
#   docker build -t marquee .
#   web:    docker run marquee            (migrations, then scripts/web-server.ts)
#   worker: docker run marquee worker     (workers/index.ts)
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma ./prisma
COPY prisma.config.ts ./
# package-lock.json lists every platform's optional binaries (next/swc, tailwind oxide, …), so
# `npm ci` installs exactly the locked tree on amd64 and arm64 alike.
RUN npm ci --no-audit --no-fund

FROM deps AS build
WORKDIR /app
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system marquee && useradd --system --gid marquee --home /app marquee
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
# The build, the sources the server and worker run (tsx runs TypeScript directly) and production
# node_modules. Our own web server (not Next's standalone one) so client IPs are the socket's.
COPY --from=build --chown=marquee:marquee /app/.next ./.next
COPY --from=build --chown=marquee:marquee /app/public ./public
COPY --from=build --chown=marquee:marquee /app/app ./app
COPY --from=build --chown=marquee:marquee /app/components ./components
COPY --from=build --chown=marquee:marquee /app/next.config.mjs /app/proxy.ts ./
COPY --from=build --chown=marquee:marquee /app/node_modules ./node_modules
COPY --from=build --chown=marquee:marquee /app/generated ./generated
COPY --from=build --chown=marquee:marquee /app/lib ./lib
COPY --from=build --chown=marquee:marquee /app/workers ./workers
COPY --from=build --chown=marquee:marquee /app/scripts ./scripts
COPY --from=build --chown=marquee:marquee /app/prisma ./prisma
COPY --from=build --chown=marquee:marquee /app/package.json /app/tsconfig.json ./
COPY --chown=marquee:marquee docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN mkdir -p /data && chown marquee:marquee /data
USER marquee
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["tini", "--", "docker-entrypoint.sh"]
CMD ["web"]
