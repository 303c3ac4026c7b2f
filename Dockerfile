# `stepwright serve` in a container, in place of amazon/aws-stepfunctions-local:
#   docker build -t stepwright .
#   docker run -p 8083:8083 -v stepwright-data:/data stepwright
# Step Functions Local's settings work unchanged (`--env-file aws-stepfunctions-local-credentials.txt`, or -e
# LAMBDA_ENDPOINT=..., WAIT_TIME_SCALE=0, SFN_MOCK_CONFIG=/mocks/MockConfigFile.json with -v ./mocks:/mocks);
# local Lambda handlers: -v ./functions:/functions and add `--functions /functions` to the command.
# test/cli/docker.test.ts runs this image's command line (and builds the image where a container runtime runs).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/LICENSE ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/host ./host
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
COPY --from=build /app/node_modules ./node_modules
# The data folder belongs to the image's non-root user; a named volume keeps executions across containers.
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8083
ENTRYPOINT ["node", "/app/bin/stepwright"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8083", "--data", "/data"]
