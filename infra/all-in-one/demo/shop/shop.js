// The demo shop's behaviour: plain JS, no build step. Every action goes
// through shoppulse.push([method, ...args]), which works before t.js has
// loaded (the calls are queued in an array and replayed) and after (push is
// part of the API), and uses the tracker's e-commerce helpers. "查看" opens the
// product as a single-page app would (history.pushState), so the tracker sends
// page_leave for the list and page_view for the product by itself.
'use strict';

// Copied from collector/demo/catalogue.ts (each category's best seller), so
// clicks here and the simulated traffic land on the same products.
const PRODUCTS = [
  { id: 'p1001', category_id: 'phone', brand: 'Apple', name: 'Apple iPhone 16 128G', price: 5999 },
  { id: 'p2001', category_id: 'computer', brand: 'Apple', name: 'Apple MacBook Air 13 M3 16G', price: 7999 },
  { id: 'p3001', category_id: 'appliance', brand: '美的', name: '美的 变频空调 1.5匹 一级能效', price: 2799 },
  { id: 'p4001', category_id: 'food', brand: '三只松鼠', name: '三只松鼠 坚果礼盒 1.5kg', price: 129 },
  { id: 'p5001', category_id: 'apparel', brand: '优衣库', name: '优衣库 男装 轻型羽绒服', price: 499 },
  { id: 'p6001', category_id: 'beauty', brand: '雅诗兰黛', name: '雅诗兰黛 小棕瓶精华 50ml', price: 710 },
  { id: 'p7001', category_id: 'baby', brand: '花王', name: '花王 妙而舒 纸尿裤 L54片', price: 139 },
  { id: 'p8001', category_id: 'home', brand: '小米', name: '米家 扫拖机器人', price: 1999 },
  { id: 'p1002', category_id: 'phone', brand: '华为', name: '华为 Mate 70 12+256G', price: 5499 },
  { id: 'p4004', category_id: 'food', brand: '农夫山泉', name: '农夫山泉 饮用天然水 550ml×24瓶', price: 29.9 },
];
const PAY_DELAY_MS = 1500; // a moment at the cashier between submit and pay

window.shoppulse = window.shoppulse || [];
const cart = new Map(); // product id → quantity
const $ = (id) => document.getElementById(id);
// Money in fen so that 29.9 × 3 is 89.7, not 89.69999999999999.
const fen = (yuan) => Math.round(yuan * 100);
const yuan = (amountFen) => (amountFen / 100).toFixed(2);

function send(method, ...args) {
  window.shoppulse.push([method, ...args]);
  const item = document.createElement('li');
  const [subject] = args;
  item.textContent = `${method} ${subject && typeof subject === 'object' ? subject.id : (subject ?? '')}`;
  $('log').prepend(item);
}

function buy(lines) {
  const order = {
    id: `WEB${Date.now()}${Math.floor(Math.random() * 1000)}`,
    currency: 'CNY',
    amount: lines.reduce((sum, l) => sum + fen(l.product.price) * l.quantity, 0) / 100,
    items: lines.map((l) => ({
      product_id: l.product.id,
      category_id: l.product.category_id,
      price: l.product.price,
      quantity: l.quantity,
    })),
  };
  send('submitOrder', order);
  setTimeout(() => send('pay', order), PAY_DELAY_MS);
}

function renderCart() {
  const list = $('cart');
  list.replaceChildren();
  let totalFen = 0;
  for (const [id, quantity] of cart) {
    const product = PRODUCTS.find((p) => p.id === id);
    totalFen += fen(product.price) * quantity;
    const li = document.createElement('li');
    li.textContent = `${product.name} × ${quantity} `;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '删除';
    remove.onclick = () => {
      cart.delete(id);
      send('removeFromCart', product, quantity);
      renderCart();
    };
    li.append(remove);
    list.append(li);
  }
  $('cart-total').textContent = yuan(totalFen);
  $('checkout').disabled = cart.size === 0;
}

function button(label, onClick, primary) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (primary) b.className = 'primary';
  b.onclick = onClick;
  return b;
}

function renderProducts() {
  for (const product of PRODUCTS) {
    const card = document.createElement('article');
    card.className = 'card';
    const line = (className, text) => {
      const div = document.createElement('div');
      div.className = className;
      div.textContent = text;
      return div;
    };
    const actions = document.createElement('div');
    actions.className = 'actions';
    let favorite = false;
    const favoriteButton = button('收藏', () => {
      favorite = !favorite;
      send(favorite ? 'favorite' : 'unfavorite', product);
      favoriteButton.textContent = favorite ? '已收藏' : '收藏';
    });
    actions.append(
      button('查看', () => {
        // Clicking a list entry opens the product "page" in place.
        send('productClick', product);
        history.pushState({ item: product.id }, '', `?item=${product.id}`);
        showOpenProduct();
        send('productView', product);
      }),
      favoriteButton,
      button('加入购物车', () => {
        cart.set(product.id, (cart.get(product.id) || 0) + 1);
        send('addToCart', product, 1);
        renderCart();
      }),
      button('立即购买', () => buy([{ product, quantity: 1 }]), true),
      button('好评', () => send('review', product.id, 5)),
    );
    card.dataset.id = product.id;
    card.append(line('brand', product.brand), line('name', product.name), line('price', `¥${yuan(fen(product.price))}`), actions);
    $('products').append(card);
  }
}

$('checkout').onclick = () => {
  buy([...cart].map(([id, quantity]) => ({ product: PRODUCTS.find((p) => p.id === id), quantity })));
  cart.clear();
  renderCart();
};

// The product named by ?item= is outlined; back and forward (popstate) move it.
function showOpenProduct() {
  const open = new URLSearchParams(location.search).get('item');
  for (const card of $('products').children) card.classList.toggle('viewed', card.dataset.id === open);
}
addEventListener('popstate', showOpenProduct);

let userId = null;
$('login').onclick = () => {
  if (userId) {
    userId = null;
    send('reset'); // log out: the tracker forgets the user and starts a new visitor and session
  } else {
    userId = `u${100000 + Math.floor(Math.random() * 900000)}`;
    send('identify', userId);
  }
  $('who').textContent = userId || '游客';
  $('login').textContent = userId ? '退出' : '登录';
};

renderProducts();
renderCart();
showOpenProduct();
