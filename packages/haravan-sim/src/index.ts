export { createSimShop, type SimShop, type SimShopOptions } from './sim-shop.js';
