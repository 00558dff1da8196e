/** The backpropagation page. */
export const es = {
  'bp.title': 'Retropropagación con los números',
  'bp.lead':
    'Una iteración de entrenamiento de una red 2 → 3 → 1, paso a paso: la pasada hacia delante calcula z y a en cada neurona, aparece la pérdida, la pasada hacia atrás escribe ∂L/∂z en cada neurona y ∂L/∂w en cada conexión, y la actualización cambia cada peso. Todos los números salen del motor de gradiente: el mismo backward() que entrena cualquier modelo.',
  'bp.keys': 'Use → para la fase siguiente y ← para la anterior (o los botones).',
  'bp.diagram':
    'Diagrama de la red 2 → 3 → 1 con los valores de la fase actual: z, a y ∂L/∂z en las neuronas; el peso, su gradiente o su valor antes y después en las conexiones. Pulse una conexión para elegir el peso que se empuja.',
  'bp.x1': 'Entrada x₁',
  'bp.x2': 'Entrada x₂',
  'bp.y': 'Objetivo y',
  'bp.prev': '← Fase anterior',
  'bp.next': 'Fase siguiente →',
  'bp.iteration': 'Iteración {iteration} · pérdida al empezarla: {loss}',
  'bp.phase.weights': 'Los pesos',
  'bp.phase.forwardHidden': 'Hacia delante: capa oculta',
  'bp.phase.forwardOutput': 'Hacia delante: salida',
  'bp.phase.loss': 'La pérdida',
  'bp.phase.backwardOutput': 'Hacia atrás: salida',
  'bp.phase.backwardHidden': 'Hacia atrás: capa oculta',
  'bp.phase.update': 'La actualización',
  'bp.explain.weights':
    'Cada conexión tiene un peso w (azul positivo, naranja discontinuo negativo; el grosor es su tamaño) y cada neurona un sesgo b. La entrada es un solo ejemplo x con su objetivo y.',
  'bp.explain.forwardHidden':
    'Cada neurona oculta hace sus dos pasos: la combinación lineal z = Σ wᵢxᵢ + b y la activación a = σ(z). Dentro del círculo, a; debajo, z.',
  'bp.explain.forwardOutput': 'La neurona de salida repite lo mismo con las activaciones de la capa oculta: su a es la predicción ŷ.',
  'bp.explain.loss': 'Se compara la predicción con el objetivo: L = (ŷ − y)².',
  'bp.explain.backwardOutput':
    'Empieza la retropropagación. La regla de la cadena da ∂L/∂z de la salida = ∂L/∂ŷ · σ′(z), y cada peso que llega a ella recibe ∂L/∂w = a · ∂L/∂z (a es la activación que entra por esa conexión).',
  'bp.explain.backwardHidden':
    'Cada neurona oculta recibe su parte: ∂L/∂z = σ′(z) · Σ wⱼ ∂L/∂zⱼ (aquí un solo término: el peso hacia la salida por el ∂L/∂z de la salida). Sus pesos de entrada reciben ∂L/∂w = x · ∂L/∂z.',
  'bp.explain.update':
    'Cada peso baja por su gradiente: w ← w − η · ∂L/∂w con η = {eta}. En cada conexión, el valor antes → después. La pérdida de este mismo ejemplo con los pesos nuevos es menor. → empieza la siguiente iteración.',
  'bp.diagram.lossAfter': 'después: L = {loss}',
  'bp.edges.weights': 'En las conexiones: el peso w. En las neuronas: a dentro del círculo, z debajo.',
  'bp.edges.gradOutput': 'En las conexiones hacia la salida: ∂L/∂w (rojo); en las demás, todavía el peso w.',
  'bp.edges.gradAll': 'En todas las conexiones: ∂L/∂w (rojo). En las neuronas, debajo: z y ∂L/∂z.',
  'bp.edges.update': 'En las conexiones: el peso antes → después de la actualización.',
  'bp.nudge.title': 'Empujar un peso',
  'bp.nudge.text':
    '«Si cambio un peso un poco, ¿el error mejora o empeora, y cuánto?» Elija un peso (o pulse su conexión) y un cambio Δw: la pérdida medida de nuevo con el peso cambiado, junto a lo que predice el gradiente, ∂L/∂w · Δw.',
  'bp.nudge.weight': 'Peso',
  'bp.nudge.delta': 'Cambio Δw',
  'bp.nudge.value': '{name}: antes → después',
  'bp.nudge.gradient': '∂L/∂w (de backward())',
  'bp.nudge.measured': 'ΔL medido (pérdida nueva − pérdida)',
  'bp.nudge.predicted': 'ΔL predicho: ∂L/∂w · Δw',
  'bp.nudge.better': 'El error mejora (ΔL < 0). La predicción del gradiente falla por {gap}: cuanto menor es Δw, más se parecen.',
  'bp.nudge.worse': 'El error empeora (ΔL > 0). La predicción del gradiente falla por {gap}: cuanto menor es Δw, más se parecen.',
  'bp.nudge.zero': 'Con Δw = 0 no cambia nada.',
};

export const en: Record<keyof typeof es, string> = {
  'bp.title': 'Backpropagation with the numbers',
  'bp.lead':
    'One training iteration of a 2 → 3 → 1 network, step by step: the forward pass computes z and a on every neuron, the loss appears, the backward pass writes ∂L/∂z on every neuron and ∂L/∂w on every connection, and the update changes every weight. Every number comes from the gradient engine: the same backward() that trains any model.',
  'bp.keys': 'Press → for the next phase and ← for the previous one (or use the buttons).',
  'bp.diagram':
    'Diagram of the 2 → 3 → 1 network with the values of the current phase: z, a and ∂L/∂z on the neurons; the weight, its gradient or its value before and after on the connections. Press a connection to choose the weight to nudge.',
  'bp.x1': 'Input x₁',
  'bp.x2': 'Input x₂',
  'bp.y': 'Target y',
  'bp.prev': '← Previous phase',
  'bp.next': 'Next phase →',
  'bp.iteration': 'Iteration {iteration} · loss when it started: {loss}',
  'bp.phase.weights': 'The weights',
  'bp.phase.forwardHidden': 'Forward: hidden layer',
  'bp.phase.forwardOutput': 'Forward: output',
  'bp.phase.loss': 'The loss',
  'bp.phase.backwardOutput': 'Backward: output',
  'bp.phase.backwardHidden': 'Backward: hidden layer',
  'bp.phase.update': 'The update',
  'bp.explain.weights':
    'Every connection has a weight w (blue positive, orange dashed negative; thickness is its size) and every neuron a bias b. The input is a single example x with its target y.',
  'bp.explain.forwardHidden': 'Every hidden neuron does its two steps: the linear combination z = Σ wᵢxᵢ + b and the activation a = σ(z). Inside the circle, a; below it, z.',
  'bp.explain.forwardOutput': 'The output neuron does the same with the hidden layer’s activations: its a is the prediction ŷ.',
  'bp.explain.loss': 'The prediction is compared with the target: L = (ŷ − y)².',
  'bp.explain.backwardOutput':
    'Backpropagation starts. The chain rule gives the output’s ∂L/∂z = ∂L/∂ŷ · σ′(z), and every weight into it gets ∂L/∂w = a · ∂L/∂z (a is the activation coming in through that connection).',
  'bp.explain.backwardHidden':
    'Every hidden neuron gets its share: ∂L/∂z = σ′(z) · Σ wⱼ ∂L/∂zⱼ (here a single term: the weight to the output times the output’s ∂L/∂z). Its incoming weights get ∂L/∂w = x · ∂L/∂z.',
  'bp.explain.update':
    'Every weight moves down its gradient: w ← w − η · ∂L/∂w with η = {eta}. On each connection, the value before → after. The loss of this same example with the new weights is lower. → starts the next iteration.',
  'bp.diagram.lossAfter': 'after: L = {loss}',
  'bp.edges.weights': 'On the connections: the weight w. On the neurons: a inside the circle, z below.',
  'bp.edges.gradOutput': 'On the connections into the output: ∂L/∂w (red); on the others, still the weight w.',
  'bp.edges.gradAll': 'On every connection: ∂L/∂w (red). On the neurons, below: z and ∂L/∂z.',
  'bp.edges.update': 'On the connections: the weight before → after the update.',
  'bp.nudge.title': 'Nudge a weight',
  'bp.nudge.text':
    '“If I change a weight a little, does the error improve or get worse, and by how much?” Choose a weight (or press its connection) and a change Δw: the loss measured again with the changed weight, next to what the gradient predicts, ∂L/∂w · Δw.',
  'bp.nudge.weight': 'Weight',
  'bp.nudge.delta': 'Change Δw',
  'bp.nudge.value': '{name}: before → after',
  'bp.nudge.gradient': '∂L/∂w (from backward())',
  'bp.nudge.measured': 'Measured ΔL (new loss − loss)',
  'bp.nudge.predicted': 'Predicted ΔL: ∂L/∂w · Δw',
  'bp.nudge.better': 'The error improves (ΔL < 0). The gradient’s prediction is off by {gap}: the smaller Δw, the closer they are.',
  'bp.nudge.worse': 'The error gets worse (ΔL > 0). The gradient’s prediction is off by {gap}: the smaller Δw, the closer they are.',
  'bp.nudge.zero': 'With Δw = 0 nothing changes.',
};
