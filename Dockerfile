# newsgraph against an external Neo4j (NEO4J_URI); see docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY data ./data
COPY examples ./examples
COPY explorer ./explorer
ENV HOST=0.0.0.0 PORT=4000
EXPOSE 4000
CMD ["node", "bin/newsgraph.js", "start"]
