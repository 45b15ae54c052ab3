# The backend image used by docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY server ./server
COPY tsconfig.json ./
ENV NODE_ENV=production DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER node
CMD ["npx", "tsx", "server/main.ts"]
