export { default } from '@vitae/eslint-config';
