// What makes a contact usable, shared by the channels that need it: a plausible E.164 mobile number.

const E164 = /^\+[1-9]\d{7,14}$/;

export const isMobileNumber = (phone: string | undefined): phone is string => typeof phone === 'string' && E164.test(phone);

/** A plausible e-mail address: something@domain.tld, no spaces. Deliverability is the provider's to say. */
export const isEmailAddress = (email: string | undefined): email is string => typeof email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
