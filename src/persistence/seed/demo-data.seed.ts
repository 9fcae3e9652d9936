import { DataSource } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
import { FaqEntryEntity } from '../entities/faq-entry.entity';
import { InvoiceEntity } from '../entities/invoice.entity';
import { OrderEntity } from '../entities/order.entity';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DemoCommerceData {
  accounts: AccountEntity[];
  orders: OrderEntity[];
  invoices: InvoiceEntity[];
  faqEntries: Omit<FaqEntryEntity, 'id'>[];
}

/**
 * The demo accounts, orders, invoices and FAQ (from the source material). Order and invoice
 * dates are relative to `now` so the 30-day refund window keeps meaning the same thing:
 * ORD-12345 and ORD-67890 are inside it, ORD-12100 is outside.
 */
export function demoCommerceData(now: Date): DemoCommerceData {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    accounts: [
      {
        id: 'ACC-001',
        name: 'Jane Doe',
        email: 'jane@example.com',
        postcode: '94107',
        phoneE164: '+15551234567',
        balanceCents: 1999,
        currency: 'USD',
      },
      {
        id: 'ACC-002',
        name: 'Sam Lee',
        email: 'sam@example.com',
        postcode: '60614',
        phoneE164: '+15559876543',
        balanceCents: 0,
        currency: 'USD',
      },
    ],
    orders: [
      {
        id: 'ORD-12345',
        accountId: 'ACC-001',
        status: 'shipped',
        eta: '2026-05-09',
        trackingNumber: '1Z999AA10123456784',
        totalCents: 8499,
        currency: 'USD',
        items: [{ sku: 'HP-200', name: 'Wireless headphones', quantity: 1, unitPriceCents: 8499 }],
        placedAt: daysAgo(5),
      },
      {
        id: 'ORD-67890',
        accountId: 'ACC-001',
        status: 'processing',
        eta: '2026-05-12',
        trackingNumber: null,
        totalCents: 12950,
        currency: 'USD',
        items: [
          { sku: 'CB-USBC', name: 'USB-C cable', quantity: 2, unitPriceCents: 1499 },
          { sku: 'SP-MINI', name: 'Mini Bluetooth speaker', quantity: 1, unitPriceCents: 9952 },
        ],
        placedAt: daysAgo(2),
      },
      {
        id: 'ORD-12100',
        accountId: 'ACC-001',
        status: 'delivered',
        eta: null,
        trackingNumber: '1Z999AA10123450001',
        totalCents: 4200,
        currency: 'USD',
        items: [{ sku: 'PC-CASE', name: 'Phone case', quantity: 2, unitPriceCents: 2100 }],
        placedAt: daysAgo(45),
      },
      {
        id: 'ORD-24680',
        accountId: 'ACC-002',
        status: 'delivered',
        eta: null,
        trackingNumber: '1Z999AA10123459999',
        totalCents: 5900,
        currency: 'USD',
        items: [{ sku: 'KB-WL', name: 'Wireless keyboard', quantity: 1, unitPriceCents: 5900 }],
        placedAt: daysAgo(10),
      },
    ],
    invoices: [
      {
        id: 'INV-2001',
        accountId: 'ACC-001',
        amountCents: 4200,
        currency: 'USD',
        status: 'paid',
        description: 'Order ORD-12100',
        issuedAt: daysAgo(45),
      },
      {
        id: 'INV-2002',
        accountId: 'ACC-001',
        amountCents: 8499,
        currency: 'USD',
        status: 'paid',
        description: 'Order ORD-12345',
        issuedAt: daysAgo(5),
      },
      {
        id: 'INV-2003',
        accountId: 'ACC-001',
        amountCents: 12950,
        currency: 'USD',
        status: 'paid',
        description: 'Order ORD-67890',
        issuedAt: daysAgo(2),
      },
      {
        id: 'INV-2004',
        accountId: 'ACC-001',
        amountCents: 1999,
        currency: 'USD',
        status: 'open',
        description: 'Premium support plan, monthly',
        issuedAt: daysAgo(1),
      },
      {
        id: 'INV-3001',
        accountId: 'ACC-002',
        amountCents: 5900,
        currency: 'USD',
        status: 'paid',
        description: 'Order ORD-24680',
        issuedAt: daysAgo(10),
      },
    ],
    faqEntries: FAQ_ENTRIES,
  };
}

const FAQ_ENTRIES: Omit<FaqEntryEntity, 'id'>[] = [
  {
    slug: 'shipping-times',
    question: 'How long does shipping take?',
    answer:
      'Standard shipping takes 3-5 business days and express shipping 1-2 business days. Orders placed before 2 pm Eastern ship the same day.',
    keywords: ['shipping', 'delivery', 'how long', 'standard', 'express', 'arrive'],
  },
  {
    slug: 'international-shipping',
    question: 'Do you ship internationally?',
    answer: 'Yes, we ship to over 40 countries. International delivery takes 7-14 business days; customs duties are paid by the recipient.',
    keywords: ['international', 'abroad', 'overseas', 'countries', 'customs', 'duties'],
  },
  {
    slug: 'returns',
    question: 'How do I return an item?',
    answer:
      'You can return any unused item within 30 days of delivery. Start the return from your account to get a prepaid label, then drop the parcel at any carrier location.',
    keywords: ['return', 'returns', 'send back', 'label', 'exchange'],
  },
  {
    slug: 'refund-policy',
    question: 'What is your refund policy?',
    answer:
      'Orders can be refunded within 30 days of purchase. Refunds go back to the original payment method and take 5-7 business days to appear.',
    keywords: ['refund', 'refunds', 'policy', 'money back', 'reimburse', '30 days'],
  },
  {
    slug: 'refund-timing',
    question: 'How long does a refund take?',
    answer: 'Once a refund is processed it takes 5-7 business days to reach your original payment method, depending on your bank.',
    keywords: ['refund', 'how long', 'when', 'business days', 'bank'],
  },
  {
    slug: 'order-changes',
    question: 'Can I change my order?',
    answer:
      'You can change the items or the shipping address while the order is still processing. Once it has shipped it can no longer be changed.',
    keywords: ['change', 'modify', 'edit', 'address', 'update order'],
  },
  {
    slug: 'cancellation',
    question: 'How do I cancel my order?',
    answer: 'Orders can be cancelled free of charge until they ship. After shipping, refuse the delivery or return the item for a refund.',
    keywords: ['cancel', 'cancellation', 'stop order'],
  },
  {
    slug: 'payment-methods',
    question: 'Which payment methods do you accept?',
    answer: 'We accept Visa, Mastercard, American Express, PayPal, Apple Pay and Google Pay. We do not accept cash on delivery.',
    keywords: ['payment', 'pay', 'credit card', 'paypal', 'apple pay', 'google pay'],
  },
  {
    slug: 'warranty',
    question: 'What warranty do products have?',
    answer:
      'All products carry a one-year manufacturer warranty from the delivery date. Contact us with your order number to make a warranty claim.',
    keywords: ['warranty', 'guarantee', 'broken', 'defective', 'repair'],
  },
  {
    slug: 'contact-hours',
    question: 'When can I reach customer support?',
    answer:
      'Our phone agents are available 24/7. Human specialists are available Monday to Friday, 8 am to 8 pm Eastern, and Saturday 9 am to 5 pm.',
    keywords: ['hours', 'open', 'contact', 'support', 'phone', 'human', 'agent'],
  },
  {
    slug: 'tracking',
    question: 'How do I track my order?',
    answer:
      'Once your order ships you receive an email with the tracking number. You can also ask us for the tracking number and status of any order.',
    keywords: ['track', 'tracking', 'where is my order', 'status', 'carrier'],
  },
  {
    slug: 'damaged-items',
    question: 'What if my item arrived damaged?',
    answer:
      'Sorry about that! Report damage within 7 days of delivery with a photo and we will send a replacement or refund you in full, at no cost.',
    keywords: ['damaged', 'broken', 'defective', 'arrived damaged', 'replacement'],
  },
  {
    slug: 'password-reset',
    question: 'How do I reset my password?',
    answer:
      'Click "Forgot password" on the sign-in page and we will email you a reset link, valid for one hour. Check your spam folder if it does not arrive.',
    keywords: ['password', 'reset', 'login', 'sign in', 'forgot'],
  },
];

/** Upserts the demo commerce data; safe to run at every boot (refunds and tickets are never touched). */
export async function seedDemoCommerceData(dataSource: DataSource, now = new Date()): Promise<void> {
  const data = demoCommerceData(now);
  await dataSource.transaction(async (manager) => {
    await manager.getRepository(AccountEntity).upsert(data.accounts, ['id']);
    await manager.getRepository(OrderEntity).upsert(data.orders, ['id']);
    await manager.getRepository(InvoiceEntity).upsert(data.invoices, ['id']);
    await manager.getRepository(FaqEntryEntity).upsert(data.faqEntries, ['slug']);
  });
}
