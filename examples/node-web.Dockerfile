# A Node web app: dependencies, build, and a slim runtime.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY . .
RUN npm run build

FROM node:${NODE_VERSION}-alpine AS test
COPY --from=build /app /app
RUN npm test

FROM node:${NODE_VERSION}-alpine
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY --from=biuld /app/dist ./dist
EXPOSE 3000
CMD ["node", "dist/server.js"]
