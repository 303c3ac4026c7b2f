// A Lambda handler (Node.js signature): greets one person.
export const handler = async (event, context) => {
  console.log(`greeting ${event.name}`);
  return { message: `${event.greeting}, ${event.name}!`, by: context.functionName };
};
